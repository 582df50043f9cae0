"""The sounds of each key term said, on the page: its phonemes in IPA coloured by score, what an
off sound sounded like and the tip, and "yours beside the model" (two players).

`sounds_html(sounds, clips)` draws the card from a `SoundsReport` (coach.phonemes.answer) and,
once they are made (`Coach.term_clips`, after the written feedback), each term's two clips.
Colour is never the only sign: each sound also carries a mark (✓, ~, ✗) and a text label for
screen readers. `sound_clips` is the handler that makes the clips, from what the analysis
handed on (`sounds_request`), so the written feedback is not kept waiting for the voice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from coach.errors import CoachError
from coach.feedback import Feedback
from coach.history.sound_trends import sound_trends
from coach.phonemes.answer import SoundScore, SoundsReport, TermSounds
from coach.phonemes.clips import TermClips
from coach.ui.audio_cache import audio_cache_dir

log = logging.getLogger("coach.ui")
TREND_ATTEMPTS = 30  # the kept answers read for the trends
UNSURE_BELOW = 0.0  # evidence below 0 (but above the threshold): an edit fits a little better


def file_url(path: str) -> str:
    """The app's URL of a file it serves (ui/app.py `served_folders`), relative to the page."""
    return "gradio_api/file=" + quote(str(Path(path).resolve()))


def _grade(p: SoundScore) -> tuple[str, str, str]:
    """(css class, mark, words) for one sound."""
    if p.flagged:
        return "off", "✗", f"off, sounded like {p.heard or 'nothing'}"
    if p.score < UNSURE_BELOW:
        return "unsure", "~", "close"
    return "ok", "✓", "as expected"


def _phonemes(word: TermSounds) -> str:
    chips = []
    for p in word.phonemes:
        grade, mark, words = _grade(p) if word.judged else ("unjudged", "", "not judged")
        heard = (f'<small class="heard">{escape(p.heard or "—")}</small>'
                 if p.flagged else "")
        chips.append(f'<span class="phoneme {grade}" data-grade="{grade}" '
                     f'title="/{escape(p.expected)}/: {escape(words)} (score {p.score:.1f})" '
                     f'aria-label="/{escape(p.expected)}/ {escape(words)}">'
                     f'{escape(p.expected)}<sup aria-hidden="true">{mark}</sup>{heard}</span>')
    return f'<div class="phonemes" lang="en-fonipa">{"".join(chips)}</div>'


def _players(clips: TermClips | None, pending: bool) -> str:
    if clips is None and not pending:
        return ""
    if clips is None:
        return ('<p class="muted small" data-testid="clips-pending">Your clip and the model '
                'voice are on their way…</p>')
    players = []
    for kind, label, path in (("yours", "Yours", clips.yours), ("model", "The model", clips.model)):
        if path:
            players.append(f'<figure class="clip"><figcaption>{label}</figcaption>'
                           f'<audio controls preload="auto" data-clip="{kind}" '
                           f'src="{escape(file_url(path))}"></audio></figure>')
    note = f'<p class="notice small">{escape(clips.problem)}</p>' if clips.problem else ""
    return f'<div class="clips">{"".join(players)}</div>{note}'


def _term(word: TermSounds, clips: TermClips | None, open_: bool, pending: bool,
          trends: Sequence[str] = ()) -> str:
    ipa = " ".join(p.expected for p in word.phonemes)
    if not word.judged:
        verdict = f"not judged: {word.reason}"
    elif word.flagged:
        verdict = f"{len(word.flagged)} sound{'s' if len(word.flagged) > 1 else ''} off"
    else:
        verdict = "every sound as expected"
    notes = "".join(f'<li><b>{escape(p.note)}</b>' + (f" · {escape(p.tip)}" if p.tip else "")
                    + "</li>" for p in word.flagged)
    trend = "".join(f'<p class="muted small sound-trend">{escape(line[0].upper() + line[1:])}'
                    "</p>" for line in trends)
    body = (_phonemes(word) + (f"<ul class='sound-notes'>{notes}</ul>" if notes else "") + trend
            + (_players(clips, pending) if word.judged else ""))
    tone = "off" if word.flagged else "ok" if word.judged else "unjudged"
    return (f'<details class="term-sounds {tone}" data-term="{escape(word.term)}"'
            f'{" open" if open_ else ""}><summary><b>{escape(word.term)}</b> '
            f'<span class="ipa">/{escape(ipa)}/</span> '
            f'<span class="verdict">{escape(verdict)}</span></summary>{body}</details>')


def sounds_html(sounds: SoundsReport, clips: Mapping[str, TermClips] | None = None,
                trends: Mapping[str, Sequence[str]] | None = None) -> str:
    """The card of the key terms' sounds; `clips` by term (None: not made yet; a term
    without clips then has no players); `trends`: sentences by term (`sound_trend_lines`)."""
    trends = trends or {}
    head = '<section class="card sounds-card" data-testid="sounds"><h3>Sounds of key terms</h3>'
    if not sounds.checked:
        return f'{head}<p class="notice">{escape(sounds.message)}</p></section>'
    if not sounds.words:
        return f'{head}<p class="muted">No key term was said, so no sound to check.</p></section>'
    legend = ('<p class="muted small legend">✓ as expected · ~ close · ✗ off (with what it '
              'sounded like). Judged against a US English model; a different accent can be '
              'right too.</p>')
    terms = "".join(_term(w, None if clips is None else clips.get(w.term),
                          w.judged and bool(w.flagged), clips is None, trends.get(w.term, ()))
                    for w in sounds.words)
    return f"{head}{legend}{terms}</section>"


def sound_trend_lines(shared, sounds: SoundsReport) -> dict[str, list[str]]:
    """For each sound off in this answer, how it went in the kept attempts ("your /dʒ/ in
    jitter: 3 of the last 5 attempts right"), by term; only with two attempts or more."""
    off = {(w.term, p.expected) for w in sounds.words for p in w.flagged}
    if shared.store is None or not off:
        return {}
    try:
        attempts = shared.store.attempts(limit=TREND_ATTEMPTS, kind="answer")
    except CoachError as error:
        log.warning("sound trends: %s", error)
        return {}
    lines: dict[str, list[str]] = {}
    for trend in sound_trends(attempts):
        if (trend.term, trend.sound) in off and trend.attempts >= 2:
            lines.setdefault(trend.term, []).append(trend.sentence)
    return lines


def sounds_request(feedback: Feedback, trends: Mapping[str, Sequence[str]] | None = None
                   ) -> dict:
    """What making the clips needs (and the trends to show again), as plain data for a
    gr.State."""
    return {"audio": feedback.audio_path, "scenario": feedback.scenario.id,
            "words": feedback.sounds.to_list(), "check": feedback.sounds.check_dict(),
            "trends": dict(trends or {})}


def sound_clips(shared, request: dict | None) -> str:
    """The sounds card again, now with each term's two players."""
    if not request:
        return ""
    sounds = SoundsReport.from_parts(request["words"], request["check"])
    scored = [w for w in sounds.words if w.judged]  # a term not judged has no players
    trends = request.get("trends") or {}
    if not scored or not request.get("audio"):
        return sounds_html(sounds, {}, trends)
    coach = shared.coach
    try:
        scenario = coach.library.get(request["scenario"])
        made = coach.term_clips(request["audio"], scored, scenario,
                                audio_cache_dir() / "terms")
    except CoachError as error:
        log.warning("term clips: %s", error)
        made = [TermClips(w.term, None, None, str(error)) for w in scored]
    return sounds_html(sounds, {c.term: c for c in made}, trends)
