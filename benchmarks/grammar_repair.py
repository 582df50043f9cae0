"""How much Whisper repairs the grammar of what was said, under different prompts.

    .venv/bin/python benchmarks/grammar_repair.py

For every fixture with known spoken errors ("the container were restarting"), checks whether
the transcript kept the error as said, repaired it (wrote the correct form), or changed it
otherwise; then whether LanguageTool flags the kept errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixture_truth import load_fixtures
from benchmarks.word_error_rate import normalize_words
from coach import Coach, Settings
from coach.audio.decode import load_audio
from coach.engines.transcriber import DecodingOptions, WhisperTranscriber
from coach.scenarios.library import ScenarioLibrary

LEARNER_STYLE = ("So the pod were crashing and it show that we doesn't have logs, "
                 "the kernel have killed it.")
CONFIGS = {
    "no prompt": DecodingOptions(keep_fillers=False, use_key_terms=False),
    "shipped prompt (disfluent + key terms)": DecodingOptions(),
    "shipped + learner-style sentence": DecodingOptions(style_prompt=LEARNER_STYLE),
    "shipped, beam 1": DecodingOptions(beam_size=1),
}


def contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def main() -> int:
    fixtures = [f for f in load_fixtures() if f.grammar_errors and "format" not in f.tags]
    library = ScenarioLibrary.load()
    transcriber = WhisperTranscriber()
    coach = Coach(Settings(), transcriber=transcriber)
    total = sum(len(f.grammar_errors) for f in fixtures)
    print(f"{len(fixtures)} fixtures, {total} spoken grammar errors\n")
    for name, options in CONFIGS.items():
        kept = repaired = flagged = 0
        for fixture in fixtures:
            terms = [t.term for t in library.get(fixture.scenario).key_terms]
            transcript = transcriber.transcribe(load_audio(fixture.path), terms, options)
            words = normalize_words(transcript.text)
            shipped = name.startswith("shipped prompt")
            issues = coach.check_grammar(transcript, library.get(fixture.scenario)).issues \
                if shipped else ()
            flagged_words = {w for i in issues for w in normalize_words(i.words)}
            for said, correct in fixture.grammar_errors:
                said_words, correct_words = normalize_words(said), normalize_words(correct)
                if contains(words, said_words):
                    kept += 1
                    wrong = [w for w in said_words if w not in correct_words]
                    flagged += bool(set(wrong) & flagged_words)
                elif contains(words, correct_words):
                    repaired += 1
        print(f"{name:42} kept {kept}/{total}  repaired {repaired}/{total}  "
              f"other {total - kept - repaired}/{total}"
              + (f"  | kept and flagged (filtered LanguageTool) {flagged}/{kept}"
                 if name.startswith("shipped prompt") else ""))
    coach.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
