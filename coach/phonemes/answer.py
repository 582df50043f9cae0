"""Phoneme scores for the key terms of one answer: which sound of each said term was off.

`score_key_terms` judges every key term the answer covered (its first mention), the term
aligned with one word of context on each side inside Whisper's word times (see
`coach.phonemes.scoring`). The expected sounds are espeak-ng's IPA of the term as a voice says
it (`coach.speakable`, then `inventory.phonemizable`), or of the alias the speaker used. The
recogniser's frames come from an injected `frames(start_s, end_s)` (the Coach gives one backed
by the hama recogniser, run on that stretch of the recording only), so this stays pure.

The report is honest about what it could not do: a term too short or too unclear to judge is
kept with `judged` False and a reason (and nothing flagged); without the recogniser or
espeak-ng the whole report is "not checked" with a plain message.

In a feedback record (`Feedback.to_dict()`) the scored words are the list under
"pronunciation" (`SoundsReport.to_list`), the check's state under "pronunciation_check".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np

from coach.analysis.coverage import CoverageReport, TermHit
from coach.analysis.pronunciation import Phonemizer
from coach.analysis.terms import ALIAS, GLUED
from coach.analysis.text import bare
from coach.errors import EngineUnavailable
from coach.lexicon import SECOND_PRONUNCIATIONS
from coach.phonemes import inventory, scoring, tips
from coach.phonemes.recogniser import FRAME_S
from coach.scenarios import Scenario
from coach.speakable import speakable
from coach.transcript import Transcript

# frames(start_s, end_s) -> (class log-probs covering at least that stretch, start of its
# first frame in the clip, s). Raises EngineUnavailable when the recogniser cannot run.
Frames = Callable[[float, float], tuple[np.ndarray, float]]

THRESHOLDS = scoring.Thresholds()  # calibrated (benchmarks/pronunciation_calibration.py)
GLUED_REASON = "written joined to another word, so its own sounds cannot be told apart"
NOT_ASKED = "Sounds were not checked for this answer."



@dataclass(frozen=True)
class SoundScore:
    """One expected sound of a term: its evidence `score` (a log-likelihood ratio; below the
    threshold of its kind it is `flagged`), `heard` what it sounded like when flagged ("" for
    nothing), and the tip for that confusion."""

    expected: str
    heard: str | None
    score: float
    flagged: bool
    kind: str | None = None
    tip: str | None = None

    @property
    def note(self) -> str:
        """What was heard, in words: "/dʒ/ sounded like /j/", "" when not flagged."""
        if not self.flagged or self.heard is None:
            return ""
        parts = self.heard.split()
        if self.kind == "deletion" or not parts:
            return f"/{self.expected}/ was dropped"
        if self.kind == "insertion" or len(parts) == 2:
            return f"/{self.expected}/ sounded like /{' '.join(parts)}/ (a sound added)"
        return f"/{self.expected}/ sounded like /{self.heard}/"

    def to_dict(self) -> dict:
        return {"expected": self.expected, "heard": self.heard, "score": self.score,
                "flagged": self.flagged, "kind": self.kind, "tip": self.tip}

    @classmethod
    def from_dict(cls, data: Mapping) -> SoundScore:
        return cls(data["expected"], data["heard"], float(data["score"]), bool(data["flagged"]),
                   data.get("kind"), data.get("tip"))


@dataclass(frozen=True)
class TermSounds:
    """A key term as said: `term` as the scenario spells it, `said_as` the words transcribed,
    `start`/`end` the word times (to cut the speaker's own clip), its sounds in order."""

    term: str
    said_as: str
    start: float
    end: float
    phonemes: tuple[SoundScore, ...]
    judged: bool = True
    reason: str | None = None  # why not judged
    ipa: str = ""

    @property
    def flagged(self) -> tuple[SoundScore, ...]:
        return tuple(p for p in self.phonemes if p.flagged)

    def to_dict(self) -> dict:
        return {"term": self.term, "phonemes": [p.to_dict() for p in self.phonemes],
                "judged": self.judged, "reason": self.reason, "said_as": self.said_as,
                "start": round(self.start, 2), "end": round(self.end, 2), "ipa": self.ipa}

    @classmethod
    def from_dict(cls, data: Mapping) -> TermSounds:
        return cls(data["term"], data.get("said_as", data["term"]), float(data.get("start", 0)),
                   float(data.get("end", 0)),
                   tuple(SoundScore.from_dict(p) for p in data["phonemes"]),
                   bool(data.get("judged", True)), data.get("reason"), data.get("ipa", ""))


@dataclass(frozen=True)
class SoundsReport:
    """The scored key terms; `checked` False (with `message`) when the check could not run."""

    words: tuple[TermSounds, ...] = ()
    checked: bool = False
    message: str = NOT_ASKED

    def to_list(self) -> list[dict]:
        return [w.to_dict() for w in self.words]

    def check_dict(self) -> dict:
        return {"checked": self.checked, "message": self.message}

    @classmethod
    def from_parts(cls, words: Sequence[Mapping], check: Mapping) -> SoundsReport:
        return cls(tuple(TermSounds.from_dict(w) for w in words), bool(check["checked"]),
                   check.get("message", ""))

    def term(self, term: str) -> TermSounds | None:
        return next((w for w in self.words if w.term == term), None)


def not_checked(message: str) -> SoundsReport:
    return SoundsReport((), False, message)


def spoken_forms(hit: TermHit, scenario: Scenario) -> tuple[str, ...]:
    """Every right way to say what was meant, the voice's first: the alias they used; else the
    term as the scenario's voice says it (`say_as`) and as the shared lexicon says it, when
    they differ ("dmesg": "D message" and "D mesg"). Each is judged; the one the audio fits
    best is kept, so saying it the other right way flags nothing."""
    if hit.evidence == ALIAS:
        return (inventory.phonemizable(speakable(hit.said_as, scenario.key_terms)),)
    forms = [speakable(hit.term, scenario.key_terms), speakable(hit.term)]
    forms += [second for f in forms if (second := _second_pronunciation(f)) != f]
    return tuple(dict.fromkeys(inventory.phonemizable(f) for f in forms))


def _second_pronunciation(text: str) -> str:
    """`text` with each word that has a second right pronunciation spelt that way
    ("exit code 137" -> "eksit code 137"); `text` itself when none has."""
    return " ".join(SECOND_PRONUNCIATIONS.get(w.lower(), w) for w in text.split(" "))


class NotYet(LookupError):
    """Raised by `frames` for a stretch not recorded yet (a term scored while the answer is
    still recorded): that term is left out of the report."""


def score_key_terms(transcript: Transcript, scenario: Scenario, coverage: CoverageReport,
                    frames: Frames, phonemize: Phonemizer | None,
                    thresholds: scoring.Thresholds = THRESHOLDS,
                    memo: MutableMapping | None = None) -> SoundsReport:
    """Every covered key term's sounds, in the order said. "Not checked" (no words) when the
    recogniser or espeak-ng is unavailable.

    `memo` keeps each term's result by everything it depends on: the words, their IPA and
    times, and the audio of its stretch (`frames.key(start_s, end_s)`, a digest of the
    samples; without it nothing is kept). A term scored while the answer was recorded
    (coach.streamed_sounds) is then not scored again after Stop.
    """
    if phonemize is None:
        return not_checked("Sounds were not checked: espeak-ng is not available here.")
    words = transcript.words
    hits = sorted(coverage.covered, key=lambda h: h.word_index)
    plans = []
    for hit in hits:
        first, last = hit.word_index, hit.word_index + hit.word_count - 1
        if not 0 <= first <= last < len(words):
            continue
        before = words[first - 1] if first > 0 else None
        after = words[last + 1] if last + 1 < len(words) else None
        plans.append((hit, first, last, before, after))
    context = [inventory.phonemizable(bare(w.text)) for _, _, _, b, a in plans for w in (b, a)
               if w is not None]
    try:
        ipa = phonemize([*(f for p in plans for f in spoken_forms(p[0], scenario)), *context])
        scored = []
        for hit, first, last, before, after in plans:
            term_ipas = tuple(dict.fromkeys(ipa.get(f, "") for f in spoken_forms(hit, scenario)))
            term_ipa = term_ipas[0]
            start = before.start if before else words[first].start
            end = after.end if after else words[last].end
            inputs = (hit.term, hit.said_as, term_ipas, _ipa_of(before, ipa),
                      _ipa_of(after, ipa), start, end, words[first].start, words[last].end)
            digest = getattr(frames, "key", None)
            cache: MutableMapping = {} if memo is None else memo
            if hit.evidence == GLUED:  # "readio.max": the word holds another word's sounds
                scored.append(TermSounds(hit.term, hit.said_as, words[first].start,
                                         words[last].end, (), False, GLUED_REASON, term_ipa))
                continue
            try:
                key = (*inputs, thresholds, digest(start - scoring.MARGIN_S,
                                                   end + scoring.MARGIN_S)
                       ) if memo is not None and digest else None
                if key is not None and key in cache:
                    scored.append(cache[key])
                    continue
                result, term_ipa = _judge(hit.term, frames, (start, end), term_ipas, inputs[3],
                                          inputs[4], thresholds)
            except NotYet:
                continue
            sounds = TermSounds(hit.term, hit.said_as, words[first].start, words[last].end,
                                tuple(_sound(p) for p in result.phonemes), result.judged,
                                result.reason, term_ipa)
            if key is not None:
                cache[key] = sounds
            scored.append(sounds)
    except EngineUnavailable as error:
        return not_checked(f"Sounds were not checked. {error}")
    return SoundsReport(tuple(scored), True, "")


def _ipa_of(word, ipa: Mapping[str, str]) -> str:
    return ipa.get(inventory.phonemizable(bare(word.text)), "") if word is not None else ""


def _judge(term: str, frames: Frames, window: tuple[float, float], term_ipas: Sequence[str],
           before_ipa: str, after_ipa: str, thresholds: scoring.Thresholds
           ) -> tuple[scoring.WordPronunciation, str]:
    """The term judged against the right way of saying it (of `term_ipas`) whose expected
    sounds explain the window best (the best path's log-prob: same frames, so comparable),
    with that IPA."""
    forms = [(ipa, inventory.expected_phonemes(ipa)) for ipa in term_ipas]
    forms = [(ipa, expected) for ipa, expected in forms if expected]
    if not forms:
        return (scoring.WordPronunciation(term, (), False, "no sounds known for this term"),
                term_ipas[0])
    lp, offset = frames(window[0] - scoring.MARGIN_S, window[1] + scoring.MARGIN_S)
    first, last = scoring.window_frames(window[0] - offset, window[1] - offset, lp.shape[0])
    before, after = inventory.expected_phonemes(before_ipa), inventory.expected_phonemes(after_ipa)
    judged = []
    for ipa, expected in forms:
        evidence = scoring.phoneme_evidence(lp[first:last], before, expected, after,
                                            offset + first * FRAME_S)
        fit = -np.inf if evidence is None else evidence.frame_log_prob
        judged.append((fit, ipa, evidence, expected))
    fit, ipa, evidence, expected = max(judged, key=lambda j: j[0])
    return scoring.decide(term, evidence, thresholds, expected=[p.ipa for p in expected]), ipa


def _sound(p: scoring.PhonemeScore) -> SoundScore:
    advice = tips.tip(p.expected, p.heard, p.kind) if p.flagged else None
    return SoundScore(p.expected, p.heard if p.flagged else None, p.score, p.flagged, p.kind,
                      advice)
