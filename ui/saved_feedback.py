"""A kept attempt's feedback, read back from its `Feedback.to_dict()` record, to show it again.

The history keeps each analysed answer's full feedback as JSON (`Attempt.feedback`). The
practice tab's views (ui/render_html.py) draw a `Feedback`; `saved_feedback` rebuilds one from
the record so the History tab shows a past attempt exactly as it was first shown, without
analysing it again (the settings, the model or the grammar server may have changed since).

The record leaves out where each finding sits in the transcript (word indices); they are
found again from the finding's start time, which is the start time of its first word in the
same record. Raises HistoryError for a record this version cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from coach.analysis.coverage import CoverageReport, HeardAs, TermHit
from coach.analysis.fillers import Filler, FillerReport, Repetition
from coach.analysis.pauses import Pause, PauseReport
from coach.analysis.polish import DiffPart, PolishedAnswer
from coach.analysis.pronunciation import PronunciationHint, PronunciationReport
from coach.analysis.score import Score, ScorePart
from coach.analysis.structure import StructureReport
from coach.analysis.text import bare
from coach.analysis.timing import PacePoint, PaceRange, TimingReport
from coach.feedback import Feedback
from coach.grammar import GrammarFinding, GrammarReport
from coach.history.errors import HistoryError
from coach.scenarios import Scenario
from coach.transcript import Transcript, Word


class _Words:
    """Finds a finding's first word by its start time (and its text, when starts are shared)."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = words

    def index(self, start: float, text: str = "") -> int:
        first = bare(text.split()[0]) if text.split() else ""
        at = [i for i, w in enumerate(self.words) if abs(w.start - start) < 0.006]
        same = [i for i in at if bare(self.words[i].text) == first]
        if same or at:
            return (same or at)[0]
        if not self.words:
            return 0
        return min(range(len(self.words)), key=lambda i: abs(self.words[i].start - start))


def _count(text: str) -> int:
    return max(len(text.split()), 1)


def _repetition(item: Mapping, words: _Words) -> Repetition:
    text = item["text"]
    said = [bare(t) for t in text.split()]
    # A two-word restart ("I check, I checked") keeps its last two words; others their last one.
    unit = 2 if item["kind"] == "restart" and len(said) >= 4 and said[0] == said[2] else 1
    return Repetition(text, item["start"], item["kind"], words.index(item["start"], text),
                      _count(text), unit)


def _transcript(data: Mapping) -> Transcript:
    words = tuple(Word(w["text"], w["start"], w["end"], w.get("probability", 1.0))
                  for w in data.get("words", ()))
    return Transcript(words, data["timing"]["duration_s"], data.get("model", ""),
                      tuple(data.get("transcript_notes", ())))


def _timing(t: Mapping) -> TimingReport:
    return TimingReport(
        recording_s=t["duration_s"], answer_s=t["answer_s"], speaking_s=t["speaking_s"],
        limit_s=t["limit_s"], wpm=t["wpm"], pace_verdict=t["pace_verdict"],
        pace_range=PaceRange(*t["pace_range"]),
        pace_over_time=tuple(PacePoint(p["start"], p["wpm"]) for p in t["pace_over_time"]),
        first_key_term_s=t["first_key_term_s"])


def _fillers(f: Mapping, words: _Words) -> FillerReport:
    items = tuple(Filler(i["text"], i["start"], i["end"], i["kind"],
                         words.index(i["start"], i["text"]), _count(i["text"]))
                  for i in f["items"])
    return FillerReport(items, tuple(_repetition(r, words) for r in f["repetitions"]),
                        f["per_minute"], f["per_100_words"], f["verdict"], dict(f["counts"]))


def _coverage(c: Mapping, words: _Words) -> CoverageReport:
    covered = tuple(TermHit(h["term"], h["said_as"], h["start"],
                            words.index(h["start"], h["said_as"]), _count(h["said_as"]))
                    for h in c["hits"])
    heard = tuple(HeardAs(h["term"], h["heard"], h["start"], h["similarity"],
                          words.index(h["start"], h["heard"]), _count(h["heard"]))
                  for h in c["heard_as"])
    misheard = {h.term for h in heard}
    missing = tuple(t for t in c["missing"] if t not in misheard)  # the record lists both
    return CoverageReport(covered, heard, missing, len(covered) + len(heard) + len(missing),
                          c["first_term_at_s"])


def _grammar(g: Mapping, words: _Words) -> GrammarReport:
    issues = tuple(GrammarFinding(i["words"], i["message"], i["suggestion"],
                                  tuple(i["replacements"]), i["rule"], i["category"],
                                  i["start"], words.index(i["start"], i["words"]),
                                  _count(i["words"]))
                   for i in g["issues"])
    return GrammarReport(g["checked"], g["engine"], issues, g.get("reason", ""),
                         g.get("note", ""))


def _polished(p: Mapping, limit_s: int) -> PolishedAnswer:
    s = p["structure"]
    structure = StructureReport(tuple(s["expected"]), tuple(s["present"]), s["order_ok"])
    return PolishedAnswer(
        p["text"], tuple(DiffPart(d["op"], d["text"]) for d in p["diff"]), tuple(p["removed"]),
        tuple(tuple(f) for f in p["fixed"]), tuple(p["added"]), structure, p["estimated_s"],
        limit_s, tuple(p.get("trimmed", ())))


def saved_feedback(data: Mapping, scenario: Scenario) -> Feedback:
    """The `Feedback` a kept record describes; `scenario` is the one it was judged against."""
    try:
        transcript = _transcript(data)
        words = _Words(transcript.words)
        timing = _timing(data["timing"])
        pauses = data["pauses"]
        return Feedback(
            scenario=scenario, transcript=transcript, timing=timing,
            pauses=PauseReport(tuple(Pause(p["start"], p["duration"], p["where"], p["after"],
                                           p["before"]) for p in pauses["items"]),
                               pauses["total_s"]),
            fillers=_fillers(data["fillers"], words),
            coverage=_coverage(data["coverage"], words),
            grammar=_grammar(data["grammar"], words),
            pronunciation=PronunciationReport(tuple(
                PronunciationHint(h["word"], h["heard"], h["start"], h["reason"], h["ipa"],
                                  h["respelling"], h.get("probability"))
                for h in data["pronunciation"]["hints"])),
            polished=_polished(data["polished"], timing.limit_s),
            score=Score(data["score"]["total"],
                        tuple(ScorePart(p["name"], p["score"], p["weight"], p["rule"])
                              for p in data["score"]["parts"]),
                        tuple(data["score"]["advice"])),
            audio_path=data.get("audio", ""))
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise HistoryError(
            "This attempt's feedback was kept in a form this version cannot show.",
            hint=f"Its figures are in the list; `coach export attempt` gives the rest "
                 f"({type(error).__name__}: {error}).") from None
