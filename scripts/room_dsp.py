"""Signal processing for the real-room test set (`scripts/make_room_fixtures.py`).

Pure numpy, 16 kHz float32 mono signals, every random choice from a `numpy.random.Generator`
handed in by the caller, so a fixed seed gives the same samples on every run:

* `room_impulse_response` + `convolve`: a synthetic room (direct path, a few early reflections,
  an exponentially decaying diffuse tail with a given RT60 and direct-to-reverberant ratio).
* `band_limit`: a laptop microphone (zero-phase Butterworth-shaped highpass ~150 Hz and
  lowpass ~7 kHz, applied in the frequency domain).
* `pink_noise`, `brown_noise`, `fan_noise`, `keyboard_noise`, `babble_noise`: the noise kinds.
* `active_power` / `scale_to_snr`: speech power over speech-active frames (a P.56-like gate),
  so that the SNR is the one heard while the person talks, not diluted by pauses.
* `speech_span`: first and last speech-active instants (for the speaking duration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 16_000
FRAME_S = 0.02  # 20 ms frames for the activity gate


@dataclass(frozen=True)
class Room:
    """A synthetic room: a name for people, its reverberation time and how far the mic is."""

    name: str
    rt60_s: float  # time for the diffuse tail to decay by 60 dB
    drr_db: float  # direct-to-reverberant energy ratio (laptop mic at arm's length: a few dB)


def _spectrum_filter(x: np.ndarray, gain_of_freq) -> np.ndarray:
    """Multiply the spectrum of x by a real gain (zero phase); same length out."""
    n = len(x)
    size = 1 << int(np.ceil(np.log2(max(n, 2))))
    spectrum = np.fft.rfft(x, size)
    freqs = np.fft.rfftfreq(size, 1 / RATE)
    return np.fft.irfft(spectrum * gain_of_freq(freqs), size)[:n].astype(np.float32)


def _butterworth_gain(freqs: np.ndarray, cutoff: float, order: int, highpass: bool) -> np.ndarray:
    with np.errstate(divide="ignore"):
        ratio = cutoff / np.maximum(freqs, 1e-6) if highpass else freqs / cutoff
    return 1.0 / np.sqrt(1.0 + ratio ** (2 * order))


def band_limit(x: np.ndarray, low_hz: float = 150.0, high_hz: float = 7000.0) -> np.ndarray:
    """A laptop microphone's band: 2nd-order highpass at low_hz, 4th-order lowpass at high_hz."""
    return _spectrum_filter(
        x,
        lambda f: _butterworth_gain(f, low_hz, 2, True) * _butterworth_gain(f, high_hz, 4, False),
    )


def telephone_band(x: np.ndarray, order: int | None = None) -> np.ndarray:
    """A telephone line's 300-3400 Hz: cut sharply (`order` None, as a digital line's filter
    can be) or through Butterworth slopes of that order."""
    if order is None:  # no zero padding: the cut is exact on the clip's own frequencies
        spectrum = np.fft.rfft(x)
        freqs = np.fft.rfftfreq(len(x), 1 / RATE)
        spectrum[(freqs < 300.0) | (freqs > 3400.0)] = 0
        return np.fft.irfft(spectrum, len(x)).astype(np.float32)
    return _spectrum_filter(x, lambda f: _butterworth_gain(f, 300.0, order, True)
                            * _butterworth_gain(f, 3400.0, order, False))


def room_impulse_response(room: Room, rng: np.random.Generator) -> np.ndarray:
    """Direct path at t=0, 6-9 early reflections in 3-30 ms, then a decaying noise tail whose
    energy is set so that direct/reverberant = room.drr_db; high frequencies die faster."""
    length = int(RATE * room.rt60_s * 1.2)
    ir = np.zeros(length, dtype=np.float64)
    ir[0] = 1.0
    for _ in range(int(rng.integers(6, 10))):
        delay = int(rng.uniform(0.003, 0.030) * RATE)
        ir[delay] += rng.choice([-1.0, 1.0]) * rng.uniform(0.15, 0.5)
    t = np.arange(length) / RATE
    onset = int(0.008 * RATE)
    tail = rng.standard_normal(length)
    tail *= np.exp(-6.9 * t / room.rt60_s)  # 60 dB = e^-6.9 in amplitude
    tail[:onset] = 0.0
    # air and soft surfaces absorb highs: a gentle lowpass on the tail
    tail = _spectrum_filter(tail, lambda f: _butterworth_gain(f, 4000.0, 1, False)).astype(
        np.float64
    )
    direct_energy = float(np.sum(ir**2))
    tail *= np.sqrt(direct_energy / (np.sum(tail**2) * 10 ** (room.drr_db / 10)))
    return (ir + tail).astype(np.float32)


def convolve(x: np.ndarray, ir: np.ndarray, keep_tail_s: float = 0.3) -> np.ndarray:
    """x convolved with ir (FFT), keeping keep_tail_s of the reverberant tail after x ends."""
    n = len(x) + len(ir) - 1
    size = 1 << int(np.ceil(np.log2(n)))
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(ir, size), size)
    return y[: len(x) + int(keep_tail_s * RATE)].astype(np.float32)


def _colored_noise(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Gaussian noise with power ~ 1/f^exponent (1 = pink, 2 = brown), nothing under 20 Hz."""
    white = rng.standard_normal(n)
    y = _spectrum_filter(
        white,
        lambda f: np.where(f < 20.0, 0.0, 1.0 / np.maximum(f, 20.0) ** (exponent / 2)),
    )
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    return _colored_noise(n, rng, 1.0)


def brown_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    return _colored_noise(n, rng, 2.0)


def fan_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """A fan or a laptop cooler: blade hum (90-130 Hz and harmonics, slowly wobbling) over
    airflow noise lowpassed at ~800 Hz."""
    t = np.arange(n) / RATE
    f0 = rng.uniform(90.0, 130.0)
    wobble = 1.0 + 0.004 * np.sin(2 * np.pi * rng.uniform(0.1, 0.3) * t)
    phase = 2 * np.pi * f0 * np.cumsum(wobble) / RATE
    hum = sum((0.6**k) * np.sin(k * phase + rng.uniform(0, 2 * np.pi)) for k in range(1, 7))
    air = _spectrum_filter(rng.standard_normal(n), lambda f: _butterworth_gain(f, 800.0, 2, False))
    air /= np.std(air) + 1e-12
    y = hum / (np.std(hum) + 1e-12) + 0.8 * air
    return (y / np.std(y)).astype(np.float32)


def _click(rng: np.random.Generator) -> np.ndarray:
    """One key: a 3-8 ms noise burst ringing at a 1.5-4 kHz resonance."""
    length = int(rng.uniform(0.003, 0.008) * RATE)
    t = np.arange(length) / RATE
    ring = np.sin(2 * np.pi * rng.uniform(1500, 4000) * t)
    return (rng.standard_normal(length) * 0.6 + ring) * np.exp(-t / (length / RATE / 4))


def keyboard_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Typing: bursts of 3-15 keys (press + release clicks), 0.5-3 s between bursts, over a
    faint pink floor 30 dB under the clicks."""
    y = np.zeros(n)
    pos = int(rng.uniform(0.1, 1.0) * RATE)
    while pos < n:
        for _ in range(int(rng.integers(3, 16))):
            for offset, level in ((0, rng.uniform(0.4, 1.0)), (rng.uniform(0.05, 0.1), 0.3)):
                start = pos + int(offset * RATE)
                c = _click(rng) * level
                end = min(n, start + len(c))
                if start < n:
                    y[start:end] += c[: end - start]
            pos += int(rng.uniform(0.09, 0.3) * RATE)
        pos += int(rng.uniform(0.5, 3.0) * RATE)
    y /= np.sqrt(np.mean(y**2)) + 1e-12
    return (y + pink_noise(n, rng) * 10 ** (-30 / 20)).astype(np.float32)


def babble_noise(
    n: int, rng: np.random.Generator, talkers: list[np.ndarray], room: Room
) -> np.ndarray:
    """Other people talking further away: each talker looped, time-shifted at random, given
    +-3 dB, and all of it reverberated more than the main voice (a lower DRR)."""
    y = np.zeros(n, dtype=np.float32)
    for speech in talkers:
        speech = speech / (np.sqrt(active_power(speech)) + 1e-12)
        looped = np.tile(speech, int(np.ceil(n / len(speech))) + 1)
        shift = int(rng.integers(0, len(speech)))
        y += looped[shift : shift + n] * 10 ** (rng.uniform(-3, 3) / 20)
    far = Room(room.name, room.rt60_s, room.drr_db - 8.0)
    y = convolve(y, room_impulse_response(far, rng), keep_tail_s=0.0)
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def _frame_powers(x: np.ndarray) -> np.ndarray:
    size = int(FRAME_S * RATE)
    frames = len(x) // size
    return np.mean(x[: frames * size].reshape(frames, size).astype(np.float64) ** 2, axis=1)


def _active(powers: np.ndarray, below_loud_db: float) -> np.ndarray:
    db = 10 * np.log10(powers + 1e-20)
    return db > np.percentile(db, 95) - below_loud_db


def active_power(x: np.ndarray, below_loud_db: float = 30.0) -> float:
    """Mean power over frames within below_loud_db of the loud (95th percentile) frames."""
    powers = _frame_powers(x)
    return float(np.mean(powers[_active(powers, below_loud_db)]))


def scale_to_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """noise scaled so that active speech power / mean noise power = snr_db."""
    target = active_power(speech) / 10 ** (snr_db / 10)
    return (noise * np.sqrt(target / (np.mean(noise.astype(np.float64) ** 2) + 1e-20))).astype(
        np.float32
    )


def speech_span(
    x: np.ndarray, below_loud_db: float = 35.0, above_floor_db: float = 10.0, min_run_s: float = 0.1
) -> tuple[float, float]:
    """(start, end) in seconds of the first and last run of >= min_run_s speech-active frames of
    a clean signal. Active: within below_loud_db of the loud frames and above_floor_db over the
    noise floor (10th percentile frame), so a recording's own room noise is not speech."""
    db = 10 * np.log10(_frame_powers(x) + 1e-20)
    threshold = max(np.percentile(db, 95) - below_loud_db, np.percentile(db, 10) + above_floor_db)
    run = max(1, round(min_run_s / FRAME_S))
    active = np.convolve(db > threshold, np.ones(run), mode="valid") >= run  # run starts here
    starts = np.flatnonzero(active)
    return float(starts[0] * FRAME_S), float((starts[-1] + run) * FRAME_S)
