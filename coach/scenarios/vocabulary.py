"""The words a scenario is about, for the speech recogniser's prompt: key terms, then jargon.

Whisper writes jargon it was not told about as ordinary words ("kubectl describe pod" ->
"QbackToolDescribePod"), so the prompt names the scenario's key terms and then the commands,
file names and tools found in its prompt, context, reference answer, follow-up questions and
key-term sentences: words with a dot, slash, underscore or digit in them, inner capitals
(camelCase, acronyms), or known tools of the field (`coach.lexicon`). The prompt's budget is
`coach.engines.transcriber.build_prompt`'s.

Measured and NOT shipped (the coach prompts with the key terms only, `key_terms_of`):
`benchmarks/accuracy.py --models base` on the 51 fixtures, key terms only -> key terms and
jargon: WER 0.079 -> 0.080, key-term recall 0.944 -> 0.923, key-term accuracy 0.962 -> 0.948
(with this module's matcher changes; no term credited that was not said in either). More
prompt words made Whisper spell the fixtures' ordinary words worse on cpu-us120-clean (WER
0.074 -> 0.130) and iomax-us180-clean (0.123 -> 0.178, key terms 5/5 -> 3/5).
"""

from __future__ import annotations

import re

from coach.analysis.text import term_key
from coach.lexicon import TECHNICAL_WORDS
from coach.scenarios.model import Scenario

_EDGES = "\"'`“”‘’()[]{}<>,;:!?*"
_PIECES = re.compile(r"[\s()\[\]{}\"=,*<>;!?]+|:(?!/)")
_ABBREVIATION = re.compile(r"^([a-z]\.)+[a-z]?$", re.IGNORECASE)  # a.m., e.g., i.e.
_NUMBER = re.compile(r"^[\d.,%/x:+-]+[a-z]{0,2}$", re.IGNORECASE)  # 40, 5%, 1.5x, 30s


def is_jargon(word: str) -> bool:
    """Whether a word of a scenario's text is a command, file name or tool ("io.max",
    "kubectl", "OOMKilled", "p95"); plain numbers and ordinary words are not."""
    if len(word) < 2 or _NUMBER.match(word) or not any(c.isalpha() for c in word):
        return False
    if word.lower() in TECHNICAL_WORDS:
        return True
    inner_capital = any(c.isupper() for c in word[1:])
    return inner_capital or any(c in word for c in "._/") or any(c.isdigit() for c in word)


def jargon(text: str) -> list[str]:
    """The jargon words of a text, in order, once each."""
    found: list[str] = []
    for raw in _PIECES.split(text):  # code is cut into its names: "listScans(ctx)"
        word = raw.strip(_EDGES + "-&").strip(".")
        if _ABBREVIATION.match(word):
            continue
        if is_jargon(word) and word not in found:
            found.append(word)
    return found


def prompt_vocabulary(scenario: Scenario) -> tuple[str, ...]:
    """Key terms first, then the scenario's other jargon, once each (by `term_key`)."""
    texts = [scenario.prompt, scenario.context, scenario.reference_answer,
             *(f.question for f in scenario.follow_ups),
             *(t.model_sentence for t in scenario.key_terms),
             *(t.clause for t in scenario.key_terms)]
    words, keys = [], set()
    terms = [term_key(t.term) for t in scenario.key_terms]
    for word in [t.term for t in scenario.key_terms] + jargon(" ".join(texts)):
        key = term_key(word)
        if key in terms and word not in (t.term for t in scenario.key_terms):
            continue
        if any(key in t for t in terms if key != t):
            continue  # a piece of a key term ("v2" of "cgroup v2"): the term names it
        if key and key not in keys:
            keys.add(key)
            words.append(word)
    return tuple(words)


def key_terms_of(scenario: Scenario) -> tuple[str, ...]:
    """The words a stream for `scenario` is prompted with (what Coach.open_stream passes): its
    key terms. Adding the scenario's other jargon (`coach.scenarios.vocabulary`) was measured
    and did not help (see that module), so it is not shipped."""
    return tuple(t.term for t in scenario.key_terms)
