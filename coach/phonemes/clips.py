"""Yours beside the model: a key term cut from the speaker's recording, and the same term said
by the chosen voice at the chosen speed, as two WAV files to play one after the other.

`term_clips` makes both for each scored term of an answer (`SoundsReport.words`), into a
folder, named by what they hold so a clip made once is reused: the speaker's by the recording
and the word times, the model's by the voice, the speed and the term. The speaker's clip is
the term's words (Whisper's times) with PAD_S on each side; the model's comes from an injected
`speak(text, path)` (`Coach.speak`, which respells the term for the voice). Both last at least
MIN_CLIP_S, the word in the middle of silence: a browser's player shows a 0.6 s clip as
"0:00 / 0:00", which reads as empty.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.audio.decode import SAMPLE_RATE, AudioClip, load_audio
from coach.audio.wav import centred_in_silence, read_audio, write_once, write_pcm_wav, write_wav
from coach.errors import CoachError
from coach.phonemes.answer import TermSounds

PAD_S = 0.08
MIN_CLIP_S = 1.0
CLIP_FORMAT = 2  # part of each clip's name: clips made before the silence was added are not reused


@dataclass(frozen=True)
class TermClips:
    term: str
    yours: str | None  # the speaker's clip of the term (None: the recording cannot be read)
    model: str | None  # the voice saying it (None: no voice)
    problem: str = ""  # why one is missing, in plain words


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]



def cut_word(clip: AudioClip, start_s: float, end_s: float, target: Path,
             pad_s: float = PAD_S) -> None:
    """The stretch start_s..end_s of `clip` (PAD_S more on each side) as a 16 kHz WAV, in
    silence up to MIN_CLIP_S."""
    first = max(int((start_s - pad_s) * SAMPLE_RATE), 0)
    last = min(int((end_s + pad_s) * SAMPLE_RATE), clip.samples.size)
    if last <= first:
        raise ValueError(f"no audio between {start_s:.2f} s and {end_s:.2f} s")
    write_pcm_wav(target, centred_in_silence(clip.samples[first:last], SAMPLE_RATE, MIN_CLIP_S))


def _spoken_into(speak: Callable[[str, Path], object], text: str, target: Path) -> None:
    """`speak(text, target)`, then the WAV it wrote in silence up to MIN_CLIP_S."""
    speak(text, target)
    samples, rate = read_audio(target)
    if len(samples) < MIN_CLIP_S * rate:
        write_wav(target, centred_in_silence(samples, rate, MIN_CLIP_S), rate)


def term_clips(recording: str | Path, words: Sequence[TermSounds], folder: Path, *,
               speak: Callable[[str, Path], object], voice: str) -> list[TermClips]:
    """For each term: the speaker's clip and the model's, made into `folder` (reused when
    already there). `voice` names the voice and speed (part of the model clip's name)."""
    folder = Path(folder)
    clip: AudioClip | None = None
    problem = ""
    out = []
    for word in words:
        yours = model = None
        notes = []
        try:
            if clip is None and not problem:
                clip = load_audio(recording, max_duration_s=24 * 3600)
            if clip is not None:
                name = f"{_key(recording, word.start, word.end, CLIP_FORMAT)}.wav"
                yours = write_once(folder / "yours" / name,
                                   functools.partial(cut_word, clip, word.start, word.end))
        except (CoachError, OSError, ValueError) as error:
            problem = problem or f"Your clip cannot be cut from the recording ({error})."
        if problem:
            notes.append(problem)
        try:
            model = write_once(folder / "model" / f"{_key(voice, word.term, CLIP_FORMAT)}.wav",
                               functools.partial(_spoken_into, speak, word.term))
        except (CoachError, OSError) as error:
            notes.append(f"The voice cannot say it ({error}).")
        out.append(TermClips(word.term, yours, model, " ".join(notes)))
    return out
