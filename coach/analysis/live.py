"""The live panel: what an answer looks like while it is still being spoken, and gentle nudges.

    panel = live_panel(words, elapsed_s, scenario, settings, heard_s=...)  # every second or so
    nudge = next_nudge(history, panel, now)                                # None most of the time

`words` are the words heard so far (`StreamedAnswer.progress()`: the stream's decoded words,
then the live captions' newer ones, coach/engines/live_captions.py), `elapsed_s` the seconds
since recording started (what the countdown shows) and `heard_s` how much of the audio the
words stand for. The panel uses the matchers of the final feedback, so live and final judge
the same words the same way (the captions' words, from a smaller model, give way to the
final decoding's as it gets there):
- key terms: `analyze_coverage` (said clearly, or heard as something else: both tick);
- fillers: `analyze_fillers` with the user's own fillers (settings);
- structure parts: the cue phrases of `analyze_structure`, over the answer cleaned as the
  polished answer is (`clean_answer`: fillers and repeats out), as the final structure is;
- pace: words a minute over the last PACE_WINDOW_S of heard speech against the user's pace
  range (`Settings.pace_range`), judged once MIN_PACE_SPAN_S of speech has been heard
  (silence after the last word does not slow it: a pause is not a pace).

Nudges are few and kind, at most one every NUDGE_GAP_S, each one of `Settings.nudges`:
- "next_part": END_WARNING_S or less left and a part of the structure still missing (once);
  the score's timing rule says lead with what matters when time is short;
- "slow_down": the last PACE_WINDOW_S were faster than the range (the pace rule's advice);
- "no_fillers": NO_FILLER_S of speech without a filler (again only after a new filler), in the
  words of the final decoding only (`confirmed_s`): the live captions' smaller model leaves out
  fillers that the final transcript keeps, and praise it then contradicts is worse than none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.analysis.cleanup import clean_answer
from coach.analysis.coverage import analyze_coverage
from coach.analysis.fillers import Filler, analyze_fillers
from coach.analysis.structure import PART_CUES, analyze_structure
from coach.analysis.timing import PaceRange
from coach.grammar.report import GrammarReport
from coach.scenarios import Scenario
from coach.settings import Settings
from coach.transcript import Transcript, Word

PACE_WINDOW_S = 10.0  # the pace shown is that of the last 10 s of speech
MIN_PACE_SPAN_S = 5.0  # less speech than this heard: no pace yet
NUDGE_GAP_S = 8.0  # at most one nudge this often
END_WARNING_S = 10.0  # "10 s left" from here on
NO_FILLER_S = 10.0  # this much speech without a filler earns a word of praise
LAST_WORDS = 12  # words shown as "last heard"
# How a "next_part" nudge names the part still missing.
PART_PROMPTS = {"first checks": "your next check", "hypothesis": "your hypothesis",
                "mitigation": "your mitigation", "root cause": "the root cause",
                "prevention": "how to prevent it", "suggestion": "your suggestion",
                "recommendation": "your recommendation"}


@dataclass(frozen=True)
class LivePanel:
    """Attributes:
    elapsed_s: seconds since recording started; limit_s: the scenario's limit.
    heard_s: seconds of the recording the words stand for (decoded so far).
    word_count: words decoded so far.
    recent_wpm: words a minute over the last PACE_WINDOW_S of speech; None: too little yet.
    pace: "slow" | "good" | "fast" against `pace_range`, "" while there is no pace yet.
    fillers: the fillers found so far, in order.
    terms_said / terms_missing: the scenario's key terms ticked off / not yet said.
    parts_expected / parts_present: the structure parts expected and said so far.
    last_words: the last words heard; nudges: the nudge kinds turned on (settings).
    speech_start_s: when the first word started (None: no word yet).
    confirmed_s: the words up to here are the final decoding's (the stream's); later ones are
        live captions, from a smaller model (heard_s when there are none).
    """

    elapsed_s: float
    limit_s: int
    heard_s: float
    word_count: int
    recent_wpm: float | None
    pace: str
    pace_range: PaceRange
    fillers: tuple[Filler, ...]
    terms_said: tuple[str, ...]
    terms_missing: tuple[str, ...]
    parts_expected: tuple[str, ...]
    parts_present: tuple[str, ...]
    last_words: str
    nudges: tuple[str, ...] = ()
    speech_start_s: float | None = None
    confirmed_s: float | None = None

    @property
    def time_left_s(self) -> float:
        """Seconds left of the limit (negative once over it)."""
        return self.limit_s - self.elapsed_s

    @property
    def filler_count(self) -> int:
        return len(self.fillers)

    @property
    def parts_missing(self) -> tuple[str, ...]:
        """Parts not said yet that can be recognised (parts without cues are never missing)."""
        return tuple(p for p in self.parts_expected
                     if p not in self.parts_present and p in PART_CUES)

    @property
    def clean_since_s(self) -> float | None:
        """Where the current stretch without fillers began (None: no speech yet)."""
        if self.fillers:
            return self.fillers[-1].end
        return self.speech_start_s

    def to_dict(self) -> dict:
        return {"elapsed_s": round(self.elapsed_s, 1), "limit_s": self.limit_s,
                "time_left_s": round(self.time_left_s, 1), "heard_s": round(self.heard_s, 1),
                "word_count": self.word_count,
                "recent_wpm": None if self.recent_wpm is None else round(self.recent_wpm),
                "pace": self.pace, "pace_range": [self.pace_range.low, self.pace_range.high],
                "fillers": [f.text for f in self.fillers], "terms_said": list(self.terms_said),
                "terms_missing": list(self.terms_missing),
                "parts_expected": list(self.parts_expected),
                "parts_present": list(self.parts_present), "last_words": self.last_words}


@dataclass(frozen=True)
class Nudge:
    """One nudge: its kind (of settings.NUDGE_KINDS), what it says, when it was given
    (`at_s`, seconds since recording started) and how much audio had been heard then."""

    kind: str
    text: str
    at_s: float
    heard_s: float = 0.0


def recent_pace(words: Sequence[Word], window_s: float = PACE_WINDOW_S) -> float | None:
    """Words a minute over the last `window_s` of speech, up to the end of the last word
    (pauses inside count, as in the final pace; silence after it does not); None while less
    than MIN_PACE_SPAN_S of speech has been heard."""
    if not words:
        return None
    end = words[-1].end
    start = max(end - window_s, words[0].start)
    span = end - start
    if span < MIN_PACE_SPAN_S:
        return None
    return sum(1 for w in words if start <= w.start < end) * 60.0 / span


def live_panel(words: Sequence[Word], elapsed_s: float, scenario: Scenario,
               settings: Settings, *, heard_s: float | None = None,
               confirmed_s: float | None = None) -> LivePanel:
    """The panel for an answer with `words` decoded so far (see the module docstring).
    `heard_s` defaults to the end of the last word; `confirmed_s` (the end of the stream's own
    decoding, when later words are live captions) to `heard_s`."""
    words = tuple(words)
    if heard_s is None:
        heard_s = words[-1].end if words else 0.0
    heard_s = max(heard_s, words[-1].end if words else 0.0)
    confirmed_s = heard_s if confirmed_s is None else min(confirmed_s, heard_s)
    transcript = Transcript(words, heard_s)
    coverage = analyze_coverage(transcript, scenario)
    speaking_minutes = max(heard_s - transcript.speech_start, 1.0) / 60.0
    fillers = analyze_fillers(transcript, speaking_minutes, settings.fillers)
    cleaned = clean_answer(transcript, scenario, fillers, coverage,
                           GrammarReport(checked=False, engine="live"))
    expected = scenario.expected_structure
    structure = analyze_structure(" ".join(s.text for s in cleaned.kept), expected)
    wpm = recent_pace(words)
    said = set(coverage.said)
    terms = [t.term for t in scenario.key_terms]
    return LivePanel(
        elapsed_s=elapsed_s, limit_s=scenario.time_limit_s, heard_s=heard_s,
        word_count=len(words), recent_wpm=wpm,
        pace="" if wpm is None else settings.pace_range.verdict(wpm),
        pace_range=settings.pace_range, fillers=fillers.items,
        terms_said=tuple(t for t in terms if t in said),
        terms_missing=tuple(t for t in terms if t not in said),
        parts_expected=tuple(expected), parts_present=structure.present,
        last_words=" ".join(w.text for w in words[-LAST_WORDS:]), nudges=settings.nudges,
        speech_start_s=words[0].start if words else None, confirmed_s=confirmed_s)


def _next_part(panel: LivePanel, history: Sequence[Nudge]) -> str | None:
    if not 0 < panel.time_left_s <= END_WARNING_S or not panel.parts_missing:
        return None
    if any(n.kind == "next_part" for n in history):
        return None
    part = panel.parts_missing[0]
    return f"{panel.time_left_s:.0f} s left: state {PART_PROMPTS.get(part, 'the ' + part)}."


def _slow_down(panel: LivePanel, _history: Sequence[Nudge]) -> str | None:
    if panel.pace != "fast" or panel.recent_wpm is None:
        return None
    return (f"Slow down: {panel.recent_wpm:.0f} wpm, aim for {panel.pace_range.low:.0f}-"
            f"{panel.pace_range.high:.0f}. Pause after each point.")


def _no_fillers(panel: LivePanel, history: Sequence[Nudge]) -> str | None:
    since = panel.clean_since_s
    confirmed = panel.heard_s if panel.confirmed_s is None else panel.confirmed_s
    if since is None or confirmed - since < NO_FILLER_S:
        return None
    if any(n.kind == "no_fillers" and n.heard_s >= since for n in history):
        return None  # praised for this stretch already
    return f"No fillers for {confirmed - since:.0f} s, good."


# In order of priority: the first that has something to say is given.
_RULES = (("next_part", _next_part), ("slow_down", _slow_down), ("no_fillers", _no_fillers))


def next_nudge(history: Sequence[Nudge], panel: LivePanel, now: float) -> Nudge | None:
    """The nudge to give at `now` (seconds since recording started), or None: nothing to say,
    the last nudge (`history[-1]`) was less than NUDGE_GAP_S ago, or that kind is turned off."""
    if history and now - history[-1].at_s < NUDGE_GAP_S:
        return None
    for kind, rule in _RULES:
        if kind not in panel.nudges:
            continue
        text = rule(panel, history)
        if text:
            return Nudge(kind, text, now, panel.heard_s)
    return None
