"""One-line tips for the sound confusions that speakers of other languages make most often.

Keyed by (expected, heard) as `coach.phonemes.scoring.PhonemeScore` gives them: expected in
espeak's IPA ("θ", "tʃ", "i"), heard a recogniser class ("s", "t͡ʃ"), "" for a dropped sound,
or two sounds for an inserted one ("k ə" after, "ɛ s" before). Spellings are normalised first
(tie bars, ɡ/g, r/ɹ, length marks), so either form works. `tip` falls back to a plain
"say X, not Y" for a pair without its own tip; `stress_tip` names the stressed syllable.
"""

from __future__ import annotations

import re

CONSONANTS = frozenset("pbtdkgfvθðszʃʒhmnŋlrjwʔ") | {"tʃ", "dʒ"}

# How to write a sound for a learner: IPA in slashes and a familiar example.
EXAMPLES = {
    "θ": "/θ/ (th in think)", "ð": "/ð/ (th in this)", "s": "/s/ (s in see)",
    "z": "/z/ (z in zoo)", "t": "/t/", "d": "/d/", "f": "/f/", "v": "/v/ (v in very)",
    "w": "/w/ (w in wet)", "b": "/b/", "p": "/p/", "l": "/l/ (l in light)",
    "r": "/r/ (r in right)", "ʃ": "/ʃ/ (sh in she)", "ʒ": "/ʒ/ (s in measure)",
    "tʃ": "/tʃ/ (ch in check)", "dʒ": "/dʒ/ (j in job)", "j": "/j/ (y in yes)",
    "i": "/iː/ (ee in see)", "ɪ": "/ɪ/ (i in sit)", "u": "/uː/ (oo in food)",
    "ʊ": "/ʊ/ (oo in good)", "æ": "/æ/ (a in cat)", "ɛ": "/ɛ/ (e in bed)",
    "ʌ": "/ʌ/ (u in cup)", "ɑ": "/ɑ/ (o in hot)", "ŋ": "/ŋ/ (ng in sing)", "n": "/n/",
    "h": "/h/", "k": "/k/", "g": "/g/", "m": "/m/",
}

TIPS: dict[tuple[str, str], str] = {
    ("θ", "s"): "For th in 'think', put the tongue tip between the teeth and blow: not s.",
    ("θ", "t"): "For th in 'think', let air flow past the tongue between the teeth: not a t.",
    ("θ", "f"): "For th in 'think', use the tongue between the teeth, not the lip: not f.",
    ("ð", "d"): "For th in 'this', tongue between the teeth with voice, and keep it flowing: "
                "not d.",
    ("ð", "z"): "For th in 'this', tongue between the teeth with voice: not z.",
    ("ð", "v"): "For th in 'this', use the tongue between the teeth, not the lip: not v.",
    ("v", "w"): "For v, touch the lower lip to the upper teeth and buzz; w has round lips "
                "and no teeth.",
    ("v", "b"): "For v, let air buzz between lower lip and upper teeth; don't close the lips "
                "as for b.",
    ("w", "v"): "For w, round the lips like 'oo' without touching the teeth: not v.",
    ("l", "r"): "For l, touch the ridge behind the upper teeth with the tongue tip: not r.",
    ("r", "l"): "For English r, pull the tongue back without touching the roof of the mouth: "
                "not l.",
    ("dʒ", "j"): "j in 'job' starts with a d: d + zh, not the y of 'yes'.",
    ("dʒ", "ʒ"): "j in 'job' starts with a stop: d + zh, not the s of 'measure' alone.",
    ("tʃ", "ʃ"): "ch in 'check' starts with a t: t + sh, not sh alone.",
    ("ʃ", "s"): "For sh, round the lips and pull the tongue back a little: not s.",
    ("s", "ʃ"): "For s, keep the tongue tip close to the upper teeth and the lips spread: not sh.",
    ("s", "θ"): "For s, keep the tongue behind the teeth: it is not th.",
    ("z", "s"): "z is a buzzing s: keep the voice on.",
    ("b", "p"): "b is a voiced p: keep the voice on while the lips close.",
    ("p", "b"): "p has a puff of air and no voice: not b.",
    ("p", "f"): "For p, close both lips and release: not f.",
    ("f", "p"): "For f, air flows between lower lip and upper teeth: the lips don't close.",
    ("i", "ɪ"): "This is the long ee of 'see': spread the lips and hold it, not the short i "
                "of 'sit'.",
    ("ɪ", "i"): "This is the short, relaxed i of 'sit', not the long ee of 'see'.",
    ("u", "ʊ"): "This is the long oo of 'food': round the lips and hold it, not the short "
                "oo of 'good'.",
    ("ʊ", "u"): "This is the short, relaxed oo of 'good', not the long oo of 'food'.",
    ("æ", "ɛ"): "For a in 'cat', open the mouth wider than for e in 'bed'.",
    ("ɛ", "æ"): "For e in 'bed', the mouth is less open than for a in 'cat'.",
    ("ʌ", "ɑ"): "u in 'cup' is short and central, not the open o of 'hot'.",
    ("ŋ", "n"): "ng in 'sing' is made at the back of the mouth: no n, and no g after it.",
    ("n", "ŋ"): "For n, the tongue tip touches behind the upper teeth: not ng.",
}

_NORMAL = {"ɹ": "r", "ɡ": "g", "t͡ʃ": "tʃ", "d͡ʒ": "dʒ", "ɝ": "ɚ", "ɜ": "ɚ"}


def normal(sound: str) -> str:
    """One spelling per sound: no length or stress marks, no tie bar, r for ɹ, g for ɡ."""
    sound = re.sub("[ˈˌːˑ]", "", sound.strip())
    sound = _NORMAL.get(sound, sound).replace("\u0361", "")
    return _NORMAL.get(sound, sound)


def example(sound: str) -> str:
    sound = normal(sound)
    return EXAMPLES.get(sound, f"/{sound}/")


def tip(expected: str, heard: str | None, kind: str | None = None) -> str | None:
    """The tip for `expected` heard as `heard`; None when nothing was flagged (heard is None).

    kind (substitution | deletion | insertion) is read from `heard` when not given.
    """
    if heard is None:
        return None
    want = normal(expected)
    parts = [normal(p) for p in heard.split()]
    if kind is None:
        kind = "deletion" if not parts else "insertion" if len(parts) == 2 else "substitution"
    if kind == "deletion":
        if want in CONSONANTS:
            return f"Don't drop {example(want)}: say it fully, even at the end of a word."
        return f"Don't skip the vowel {example(want)}."
    if kind == "insertion":
        extra = parts[0] if len(parts) == 2 and parts[1] == want else parts[-1]
        before = len(parts) == 2 and parts[1] == want and parts[0] != want
        if before and want == "s":
            return "Start straight on the s: no vowel before it ('spike', not 'e-spike')."
        if before:
            return f"Start straight on {example(want)}: no {example(extra)} before it."
        if want in CONSONANTS and extra not in CONSONANTS:
            return (f"End on {example(want)} itself: no extra vowel after it "
                    f"('check', not 'check-uh').")
        return f"Nothing between {example(want)} and the next sound: no extra {example(extra)}."
    heard_one = parts[0] if parts else ""
    return TIPS.get((want, heard_one),
                    f"Say {example(want)}, not {example(heard_one)}.")


_VOWEL_RUN = re.compile(r"[aeiouyɑɐɒæɔəɘɚɛɜɝɞɨɪʊʉʌʏøœɤɯᵻ]+[ːˑ]?[ʊɪəɚ]?")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def stress_tip(word: str, ipa: str) -> str | None:
    """ "Stress the second syllable of 'retention'." from one word's IPA stress mark (ˈ);
    None for one syllable or no mark."""
    if not ipa or " " in ipa.strip():
        return None
    stressed, count, position = None, 0, 0
    for match in _VOWEL_RUN.finditer(ipa):
        if stressed is None and "ˈ" in ipa[position:match.start()]:
            stressed = count
        count += 1
        position = match.end()
    if count < 2 or stressed is None or stressed >= len(_ORDINALS):
        return None
    return f"Stress the {_ORDINALS[stressed]} syllable of '{word}' ({count} syllables)."
