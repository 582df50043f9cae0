"""How faithful the polished answer is, on audio_fixtures/ (synthetic and human speech).

    .venv/bin/python benchmarks/polish_fidelity.py             # real Whisper + LanguageTool
    .venv/bin/python benchmarks/polish_fidelity.py --no-grammar

For every fixture (format copies left out), the real pipeline runs (`Coach.analyze`) and the
polished answer is measured against what the speaker said:

- content kept: share of the speaker's content words (not fillers, not repeats, not words too
  general to carry meaning; a key term counts as one word however it was written) that are in
  the polished answer. Target: at least 0.9 on every fixture.
- fits: the polished answer fits the time limit at a comfortable pace (145 wpm).
- parts lost: structure parts the speaker covered that the polished answer lacks. Target: none.
- unclear rewritten: words the recogniser was unsure of that are not in the polished answer
  as heard (left out with an aside does not count). Target: none.
- fits, of the recordings within their limit: the answers that ran over (two overtime answers,
  two long human clips) keep every point, so they can stay over; the polish says so.
Human speech answers no scenario; it is polished against GENERIC_SCENARIO, as in accuracy.py.
Results go to benchmarks/results/polish.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import Fixture, load_fixtures
from coach.analysis.coverage import topic_words
from coach.analysis.structure import analyze_structure
from coach.analysis.terms import find_spans
from coach.analysis.text import bare, term_key
from coach.feedback import Feedback
from coach.scenarios import Scenario

GENERIC_SCENARIO = "explain-restart-root-cause"
RESULTS = Path(__file__).resolve().parent / "results" / "polish.json"


def _content(words: list[str], scenario: Scenario) -> Counter:
    """Content words of a word list, stemmed; each key term said counts as one word."""
    words = list(words)
    for key in scenario.key_terms:
        for span in reversed(find_spans(key, words)):
            words[span.first : span.last + 1] = [f"term:{term_key(key.term)}"]
    counts: Counter = Counter()
    for word in words:
        if word.startswith("term:"):
            counts[word] += 1
            continue
        for stem in topic_words(word) or ():
            counts[stem] += 1
    return counts


def speaker_words(feedback: Feedback) -> list[str]:
    """What the speaker said: no fillers, no dropped half of a repeat, a misheard key term as
    the term."""
    skip = {f.word_index + k for f in feedback.fillers.items for k in range(f.word_count)}
    for r in feedback.fillers.repetitions:
        skip.update(range(r.word_index, r.word_index + r.word_count - r.unit))
    heard = {h.word_index: h for h in feedback.coverage.heard_as}
    words, index = [], 0
    while index < len(feedback.transcript.words):
        if index in heard:
            words.append(heard[index].term)
            index += heard[index].word_count
            continue
        if index not in skip:
            words.append(feedback.transcript.words[index].text)
        index += 1
    return words


def content_kept(feedback: Feedback) -> float:
    said = _content(speaker_words(feedback), feedback.scenario)
    polished = _content(feedback.polished.text.split(), feedback.scenario)
    total = sum(said.values())
    if not total:
        return 1.0
    return sum(min(n, polished[w]) for w, n in said.items()) / total


def parts_lost(feedback: Feedback) -> tuple[str, ...]:
    said = feedback.polished.structure.present
    now = analyze_structure(feedback.polished.text, feedback.scenario.expected_structure).present
    return tuple(p for p in said if p not in now)


def unclear_rewritten(feedback: Feedback) -> tuple[str, ...]:
    polished = {bare(w) for w in feedback.polished.text.split()}
    left_out = " ".join(feedback.polished.left_out)
    return tuple(w.text for w in feedback.unclear.words
                 if bare(w.text) not in polished and w.text not in left_out)


def fidelity(feedback: Feedback) -> dict:
    p = feedback.polished
    return {"content_kept": round(content_kept(feedback), 3), "fits": p.fits,
            "estimated_s": round(p.estimated_s, 1), "limit_s": p.limit_s,
            "parts_lost": list(parts_lost(feedback)),
            "unclear_rewritten": list(unclear_rewritten(feedback)),
            "added_terms": list(p.added_terms), "left_out": len(p.left_out),
            "judged": feedback.judged}


def fixtures_to_measure() -> list[Fixture]:
    return [f for f in load_fixtures() if "format" not in f.tags]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-grammar", action="store_true")
    args = parser.parse_args()
    from coach import Coach, Settings

    coach = Coach(Settings(check_grammar=not args.no_grammar))
    rows = []
    try:
        for fixture in fixtures_to_measure():
            started = time.perf_counter()
            feedback = coach.analyze(fixture.path, fixture.scenario or GENERIC_SCENARIO)
            row = {"id": fixture.id, "source": fixture.source, **fidelity(feedback),
                   "recording_within_limit": fixture.duration_s <= feedback.scenario.time_limit_s,
                   "s": round(time.perf_counter() - started, 2)}
            rows.append(row)
            print(f"{row['id']:<28} kept {row['content_kept']:.2f}  fits {row['fits']!s:<5} "
                  f"{row['estimated_s']:>5.1f}/{row['limit_s']} s  lost {row['parts_lost']} "
                  f"unclear rewritten {row['unclear_rewritten']} added {row['added_terms']}")
    finally:
        coach.close()
    kept = [r["content_kept"] for r in rows]
    within = [r for r in rows if r["recording_within_limit"]]
    summary = {
        "fixtures": len(rows), "grammar": not args.no_grammar,
        "content_kept_min": min(kept), "content_kept_mean": round(sum(kept) / len(kept), 3),
        "content_kept_at_least_0.9": round(sum(k >= 0.9 for k in kept) / len(kept), 3),
        "fits_share": round(sum(r["fits"] for r in rows) / len(rows), 3),
        "fits_share_of_recordings_within_limit": round(
            sum(r["fits"] for r in within) / max(1, len(within)), 3),
        "parts_lost": sum(len(r["parts_lost"]) for r in rows),
        "unclear_rewritten": sum(len(r["unclear_rewritten"]) for r in rows),
        "not_fitting": [r["id"] for r in rows if not r["fits"]],
    }
    print(json.dumps(summary, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n")
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
