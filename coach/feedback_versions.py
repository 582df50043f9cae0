"""Feedback records written by older versions, brought to the current shape.

`Feedback.to_dict()` is what history keeps, and a kept row is never rewritten. A row carries
its version (`schema_version`; none in version 1), and `upgrade` returns it in the current
shape, SCHEMA_VERSION, one step at a time, as the database migrations do
(coach/history/migrations.py). Only the current shape is parsed (`Feedback.from_dict` and each
report's `from_dict`); each step here recovers what an older shape lacks from what it kept.

- 1 -> 2: `coverage.missing` listed heard-as terms too; they are taken out. Misheard words
  were grammar issues then and there were no unclear words: `unclear` is empty. A grammar
  check that did not run left its part out of the score (`score.unmeasured`). `timing` had no
  `word_count` (the words are counted). `polished.trimmed` is `left_out`; the polished answer
  had no reading guide (made again from its text: added sentences are marked added) and the
  added terms were not named (the missing terms its added sentences mention). There was no
  model answer: the scenario's is given.
- 2 -> 3: findings did not keep which transcript words they mark (`word_index`,
  `word_count`, a repetition's `unit`) and the transcript not its length (`duration_s`). Each
  finding is found again by its start time, which is the start time of its first word in the
  same record.
- 3 -> 4: sounds were not checked. The word-level hints under "pronunciation" move to
  "pronunciation_hints"; "pronunciation" becomes the (empty) list of scored key terms and
  "pronunciation_check" says they were not checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from coach.analysis.cleanup import ADDED, SAID, Piece
from coach.analysis.model_answer import model_answer
from coach.analysis.reading_guide import guide, spoken_text
from coach.analysis.structure import split_sentences
from coach.analysis.terms import mentions
from coach.analysis.text import bare
from coach.scenarios import Scenario

SCHEMA_VERSION = 4
SAME_START_S = 0.006  # start times are kept to 1/100 s: closer than this is the same time


def record_version(data: Mapping) -> int:
    """The schema version of a kept record (version 1 did not write one)."""
    return int(data.get("schema_version", 1))


def upgrade(data: Mapping, scenario: Scenario) -> dict:
    """`data` (a kept `Feedback.to_dict()` of any version) in the current shape, as a new dict.

    `scenario` is the one the answer was judged against. Raises ValueError for a record of a
    version this one does not know, and KeyError/TypeError for one that is not a record.
    """
    version = record_version(data)
    if not 1 <= version <= SCHEMA_VERSION:
        raise ValueError(f"feedback record version {version}: this version reads 1 to "
                         f"{SCHEMA_VERSION}")
    # a copy to change (a record is JSON: copied through it, several times faster than deepcopy)
    data = json.loads(json.dumps(data)) if version < SCHEMA_VERSION else dict(data)
    for step in STEPS[version - 1:]:
        step(data, scenario)
    data["schema_version"] = SCHEMA_VERSION
    return data


# --- 1 -> 2 ------------------------------------------------------------------------------------
def _version_2(data: dict, scenario: Scenario) -> None:
    coverage, polished, timing = data["coverage"], data["polished"], data["timing"]
    unsaid = list(coverage["missing"])
    heard = {h["term"] for h in coverage["heard_as"]}
    coverage["missing"] = [t for t in unsaid if t not in heard]
    data["unclear"] = {"words": []}
    data["score"]["unmeasured"] = [] if data["grammar"]["checked"] else ["grammar"]
    timing["word_count"] = len(data["words"])
    added = polished["added"]
    words = guide([_pieces(sentence, added) for sentence in split_sentences(polished["text"])],
                  scenario.key_terms)
    polished.update(
        left_out=polished.pop("trimmed", []), limit_s=timing["limit_s"], could_cut=[],
        reordered=False, words=[w.to_dict() for w in words], spoken_text=spoken_text(words),
        added_terms=[t for t in unsaid if any(mentions(a, t) for a in added)])
    data["model_answer"] = model_answer(scenario).to_dict()


def _pieces(sentence: str, added: Sequence[str]) -> list[Piece]:
    origin = ADDED if sentence in added else SAID
    return [Piece(word, origin) for word in sentence.split()]


# --- 2 -> 3 ------------------------------------------------------------------------------------
class _Words:
    """Finds a finding's first word by its start time (and its text, when starts are shared)."""

    def __init__(self, words: Sequence[Mapping]) -> None:
        self.starts = [w["start"] for w in words]
        self.texts = [bare(w["text"]) for w in words]

    def index(self, start: float, text: str = "") -> int:
        first = bare(text.split()[0]) if text.split() else ""
        at = [i for i, s in enumerate(self.starts) if abs(s - start) < SAME_START_S]
        same = [i for i in at if self.texts[i] == first]
        if same or at:
            return (same or at)[0]
        if not self.starts:
            return 0
        return min(range(len(self.starts)), key=lambda i: abs(self.starts[i] - start))

    def place(self, finding: dict, text: str) -> None:
        """Give `finding`, whose words are `text`, its first word and word count."""
        finding["word_index"] = self.index(finding["start"], text)
        finding["word_count"] = max(len(text.split()), 1)


def _unit(text: str, kind: str) -> int:
    """Words in the repeated unit: a two-word restart ("I check, I checked") keeps two."""
    said = [bare(t) for t in text.split()]
    return 2 if kind == "restart" and len(said) >= 4 and said[0] == said[2] else 1


def _version_3(data: dict, _scenario: Scenario) -> None:
    words = _Words(data["words"])
    fillers, coverage = data["fillers"], data["coverage"]
    for item in fillers["items"]:
        words.place(item, item["text"])
    for item in fillers["repetitions"]:
        words.place(item, item["text"])
        item["unit"] = _unit(item["text"], item["kind"])
    for hit in coverage["hits"]:
        words.place(hit, hit["said_as"])
    for heard in coverage["heard_as"]:
        words.place(heard, heard["heard"])
    for issue in data["grammar"]["issues"]:
        words.place(issue, issue["words"])
    for word in data["unclear"]["words"]:
        word["word_index"] = words.index(word["start"], word["word"])
    data["duration_s"] = data["timing"]["duration_s"]


# --- 3 -> 4 ------------------------------------------------------------------------------------
NOT_CHECKED_BEFORE = "Sounds were not checked: this answer was analysed before the coach did."


def _version_4(data: dict, _scenario: Scenario) -> None:
    data["pronunciation_hints"] = data.pop("pronunciation")
    data["pronunciation"] = []
    data["pronunciation_check"] = {"checked": False, "message": NOT_CHECKED_BEFORE}


STEPS: tuple[Callable[[dict, Scenario], None], ...] = (_version_2, _version_3, _version_4)
