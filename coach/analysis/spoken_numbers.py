"""Numbers said as words: the ways a speaker says, and Whisper writes, the digits of a term.

Whisper writes the same spoken number as digits or as words, depending on context and noise:
"exit code 137", "exit code one thirty-seven", "one three seven", "a hundred and thirty
seven"; "cgroup v2" and "cgroup v two"; "G P three". A key term written with digits is
found in any of these forms (`spoken_variants`), so scenario authors need no alias per form.
Only numbers of up to four digits are spoken out; longer ones are read digit by digit and
left as they are.
"""

from __future__ import annotations

import itertools
import re

ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
MAX_DIGITS = 4
MAX_VARIANTS = 64  # a term with several numbers: enough forms, never an explosion
_DIGITS = re.compile(r"\d+")


def _below_100(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (f" {ONES[ones]}" if ones else "")


def cardinals(n: int) -> list[str]:
    """"one hundred thirty seven", "one hundred and thirty seven", "a hundred ..." (n < 10000)."""
    if n < 100:
        return [_below_100(n)]
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        heads = [f"{ONES[hundreds]} hundred"] + (["a hundred"] if hundreds == 1 else [])
        if not rest:
            return heads
        return [f"{h}{joint}{_below_100(rest)}" for h in heads for joint in (" ", " and ")]
    thousands, rest = divmod(n, 1000)
    heads = [f"{ONES[thousands]} thousand"] + (["a thousand"] if thousands == 1 else [])
    if not rest:
        return heads
    tails = cardinals(rest) + ([f"and {_below_100(rest)}"] if rest < 100 else [])
    return [f"{h} {t}" for h in heads for t in tails]


def _pairs(digits: str) -> list[str]:
    """"one thirty seven" (137), "four oh four" (404), "fifteen hundred", "twenty nineteen"."""
    head, tail = (digits[0], digits[1:]) if len(digits) == 3 else (digits[:2], digits[2:])
    if head.startswith("0"):
        return []
    first, last = _below_100(int(head)), int(tail)
    if last == 0:
        return [f"{first} hundred"] if len(digits) == 4 else []
    if last < 10:
        return [f"{first} oh {ONES[last]}", f"{first} zero {ONES[last]}"]
    return [f"{first} {_below_100(last)}"]


def number_words(digits: str) -> list[str]:
    """Every common way to say a number written in digits ([] for more than MAX_DIGITS)."""
    if not digits.isdigit() or len(digits) > MAX_DIGITS:
        return []
    forms = [" ".join(ONES[int(d)] for d in digits)]
    if "0" in digits and len(digits) > 1:
        forms.append(" ".join("oh" if d == "0" else ONES[int(d)] for d in digits))
    if len(digits) == 1 or not digits.startswith("0"):
        forms += cardinals(int(digits))
    if len(digits) >= 3:
        forms += _pairs(digits)
    if digits == "0":
        forms.append("oh")
    return list(dict.fromkeys(forms))


def spoken_variants(spelling: str) -> list[str]:
    """The spelling with its numbers said as words, each form ("cgroup v2" -> "cgroup v two");
    [] when it has no number to say."""
    parts = _DIGITS.split(spelling)
    numbers = _DIGITS.findall(spelling)
    choices = [number_words(n) for n in numbers]
    if not numbers or not all(choices):
        return []
    variants = []
    for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS):
        text = parts[0]
        for words, after in zip(combo, parts[1:], strict=True):
            text += f" {words} {after}"
        variants.append(" ".join(text.split()))
    return variants
