"""Key-term matching: the one way a term is found in words, used by every part of the coach.

A term is found where consecutive words, as `match_tokens`, join up to the term or one of its
aliases (`term_key`): case, punctuation, spacing, hyphens, dots and spelled-out letters do not
matter ("OOM-killer", "oom killer", "O O M killer"; "I/O max", "io dot max", "io.max"), nor
whether a number is written in digits or words ("exit code 137", "one thirty-seven"). Tokens
are compared whole, so "perf" is not found in "performance"; a part of a compound counts
("eBPF" in "eBPF-based") unless `whole_words` asks for matches that cover whole words (what
a voice respells must be a whole word: "oom" in "OOM-killer" is not).
Whisper often writes a spoken "dot" as "not" or "that" ("memory not max"); those count too.

Users: coverage (was it said, where), polish (which sentence carries it), speakable (where to
respell it for a voice), the fixture generator (is it in a script), and the grammar vocabulary
(`is_known_word`: is a flagged word one of ours, also as a plural or possessive).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from coach.analysis.spoken_numbers import spoken_variants
from coach.analysis.text import Token, match_tokens, term_key, word_tokens
from coach.scenarios import KeyTerm
from coach.transcript import Word

DOT_AS_WRITTEN = ("not", "that")
_PLURALS = ("s", "es")
PLURAL_MIN_LETTERS = 5  # "ios" is not the plural of "io"
_ENDINGS = ("'s", "’s", "es", "s")  # plural and possessive forms of a known word


@dataclass(frozen=True)
class WordSpan:
    """Words `first` to `last` (inclusive) of a list of words."""

    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1


def spoken_spellings(spellings: Iterable[str]) -> list[str]:
    """The spellings, then each with its numbers said as words ("exit code one thirty seven")."""
    spellings = list(spellings)
    return spellings + [v for s in spellings for v in spoken_variants(s)]


def spelling_keys(spellings: Iterable[str]) -> frozenset[str]:
    """The keys a term can be found by: each spelling, its numbers said as words
    (`coach.analysis.spoken_numbers`), dotted names with "not"/"that", and the plural of a
    spelling ending in a letter ("snapshotters", "zombie processes")."""
    return _spelling_keys(tuple(spellings))


@lru_cache(maxsize=4096)
def _spelling_keys(given: tuple[str, ...]) -> frozenset[str]:
    spellings = [s for s in spoken_spellings(given) if term_key(s)]
    keys = {term_key(s) for s in spellings}
    keys |= {key + ending for key in keys if len(key) >= PLURAL_MIN_LETTERS
             and key[-1].isalpha() for ending in _PLURALS}
    keys |= {term_key(s.replace(".", f" {word} ")) for s in spellings if "." in s
             for word in DOT_AS_WRITTEN}
    return frozenset(keys)


def _spellings(term: KeyTerm | str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(term, KeyTerm):
        return term.spellings
    return (term,) if isinstance(term, str) else tuple(term)


def _spans(keys: frozenset[str], tokens: list[Token], longest: int, whole_words: bool
           ) -> Iterator[WordSpan]:
    """Every place (left to right, not overlapping) where tokens join up to one of `keys`."""
    prefixes = _prefixes(keys)
    start = 0
    while start < len(tokens):
        joined, found = "", None
        for end in range(start, min(start + longest, len(tokens))):
            joined += tokens[end].text
            if joined in keys and (not whole_words or _whole_words(tokens, start, end)):
                found = end
            if joined not in prefixes:
                break
        if found is None:
            start += 1
            continue
        yield WordSpan(tokens[start].word_index, tokens[found].word_index)
        start = found + 1


@lru_cache(maxsize=4096)
def _prefixes(keys: frozenset[str]) -> frozenset[str]:
    """Every beginning of every key: the joined tokens can still grow into a key."""
    return frozenset(key[:n] for key in keys for n in range(1, len(key) + 1))


def _whole_words(tokens: list[Token], start: int, end: int) -> bool:
    before = start == 0 or tokens[start - 1].word_index != tokens[start].word_index
    after = end + 1 >= len(tokens) or tokens[end + 1].word_index != tokens[end].word_index
    return before and after


def find_spans(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str], *,
               whole_words: bool = False) -> list[WordSpan]:
    """Every place the term (or an alias) was said in `words`, in order."""
    spellings = _spellings(term)
    keys = spelling_keys(spellings)
    if not keys:
        return []
    return list(_spans(keys, word_tokens(words), _longest(spellings), whole_words))


@lru_cache(maxsize=4096)
def _longest(spellings: tuple[str, ...]) -> int:
    """Tokens a match may span: the longest spelling's, and 2 more (see `_spans`)."""
    return max(len(match_tokens(s)) for s in spoken_spellings(spellings)) + 2


def find_first(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str]
               ) -> WordSpan | None:
    spans = find_spans(term, words)
    return spans[0] if spans else None


def mentions(text: str, term: KeyTerm | str | Sequence[str]) -> bool:
    """Whether a text says the term (or an alias), as whole words."""
    return find_first(term, text.split()) is not None


def vocabulary_keys(words: Iterable[str]) -> frozenset[str]:
    """Keys of accepted words and terms, for `is_known_word` (multi-word terms joined)."""
    return frozenset(k for k in (term_key(w) for w in words) if k)


def is_known_word(word: str, keys: Collection[str]) -> bool:
    """Whether `word` is an accepted word or term, also as a plural or possessive ("PVCs")."""
    cleaned = word.strip().strip("\"'`“”‘’()[]{}<>,;:!?.")
    if term_key(cleaned) in keys:
        return True
    lowered = cleaned.lower()
    return any(lowered.endswith(e) and term_key(lowered[: -len(e)]) in keys for e in _ENDINGS)


# --- evidence: how a term was found ------------------------------------------------------------
EXACT, ALIAS, GLUED, NEAR = "exact", "alias", "glued", "near spelling"
# Words Whisper glues onto a following command or file name ("readio.max", "rundmesg").
_GLUE_WORDS = """a an and at by check compare for from grep in into its is it my of on or our
    read run see set so the their then this to use using via was we with"""
GLUE_WORDS = frozenset(_GLUE_WORDS.split())
GLUED_FIRST_LETTERS = 4  # a multi-word term's first word, for a glued article to be told apart
NEAR_MIN_LETTERS = 6  # shorter words have too many ordinary neighbours ("perf", "per")
NEAR_UNSURE = 0.75  # a lone near word counts only when Whisper was unsure of it


@dataclass(frozen=True)
class TermMatch:
    """Where a term was found and on what evidence (EXACT, ALIAS, GLUED or NEAR)."""

    span: WordSpan
    evidence: str
    spelling: str  # the spelling of the term or alias that matched


def _evidence(spelling: str, term: KeyTerm | str | Sequence[str]) -> str:
    return EXACT if term_key(spelling) in spelling_keys(_spellings(term)[:1]) else ALIAS


def find_match(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str],
               taken: Collection[int] = ()) -> TermMatch | None:
    """The first place the term was said, as written, glued to a word, or nearly spelt."""
    for span in find_spans(term, words):
        if not taken or not set(range(span.first, span.last + 1)) & set(taken):
            said = " ".join(_text(w) for w in words[span.first : span.last + 1])
            spelling = next((s for s in _spellings(term)
                             if find_first(s, [said]) is not None), said)
            return TermMatch(span, _evidence(spelling, term), spelling)
    return find_glued(term, words, taken) or find_near(term, words, taken)


def _text(word: Word | str) -> str:
    return word if isinstance(word, str) else word.text


def _probability(word: Word | str) -> float:
    return 1.0 if isinstance(word, str) else word.probability


def _distinctive(spelling: str) -> bool:
    """A spelling that no ordinary word ends with: a file or command name (dot, slash,
    underscore or digit in it, inner capitals) or a known tool of the field."""
    from coach.lexicon import SPOKEN_FORMS, TECHNICAL_WORDS

    letters_only = term_key(spelling)
    return (len(letters_only) >= 2 and any(c in spelling for c in "._/") or
            (len(letters_only) >= 4 and (letters_only in TECHNICAL_WORDS
                                         or letters_only in SPOKEN_FORMS
                                         or any(c.isdigit() for c in spelling)
                                         or any(c.isupper() for c in spelling[1:]))))


def split_glued(word: str, spelling: str) -> tuple[str, str] | None:
    """("read", "io.max") for "readio.max": a word that is a plausible word or fragment glued
    onto a distinctive spelling of a term; None for anything else (ordinary words included).
    For a multi-word spelling, `word` is as many words: ("a", "mount leak") for "amount leak",
    a short common word glued onto its first word, the other words said as written."""
    if len(spelling.split()) > 1:
        return _split_glued_words(word, spelling)
    if not _distinctive(spelling):
        return None
    core = word.strip().strip("\"'`“”‘’()[]{}<>,;:!?").rstrip(".")
    head, tail = core[: len(core) - len(spelling)], core[len(core) - len(spelling):]
    if not head or term_key(tail) != term_key(spelling) or not head.isalpha():
        return None
    dotted = any(c in spelling for c in "._/")
    # a dotted name is never part of an ordinary word: any short head is a glued word or its
    # last letter ("cio.max": "its io.max"); a plain tool name needs a whole common word
    if (dotted and len(head) <= 8) or head.lower() in GLUE_WORDS:
        return head, tail
    return None


def _split_glued_words(said: str, spelling: str) -> tuple[str, str] | None:
    """A glue word run into the first word of a multi-word term ("a mount" heard as "amount",
    as Whisper writes "alot", "away"), the term's other words following as written."""
    said_words, wanted = said.split(), spelling.split()
    if len(said_words) != len(wanted) or len(term_key(wanted[0])) < GLUED_FIRST_LETTERS:
        return None
    first = said_words[0].strip("\"'`“”‘’()[]{}<>,;:!?")
    head = first[: len(first) - len(wanted[0])]
    if (head.lower() not in GLUE_WORDS or term_key(first[len(head):]) != term_key(wanted[0])
            or term_key(" ".join(said_words[1:])) != term_key(" ".join(wanted[1:]))):
        return None
    return head, spelling


def find_glued(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str],
               taken: Collection[int] = ()) -> TermMatch | None:
    """Words that are a term's distinctive spelling with another word glued in front (a
    multi-word term: onto its first word)."""
    texts = [_text(w) for w in words]
    for index in range(len(words)):
        for spelling in _spellings(term):
            size = len(spelling.split())
            span = range(index, index + size)
            if index + size > len(words) or set(span) & set(taken):
                continue
            if split_glued(" ".join(texts[index : index + size]), spelling):
                return TermMatch(WordSpan(index, index + size - 1), GLUED, spelling)
    return None


def near_word(heard: str, wanted: str) -> bool:
    """Whether `heard` is a known kind of Whisper misspelling of `wanted` ("retreable" for
    "retryable"): long enough, same first letter, same Metaphone code, one letter apart (two
    for long words), letters only (never "io1" for "io2")."""
    import jellyfish

    if heard == wanted or not (heard.isalpha() and wanted.isalpha()):
        return False
    if len(wanted) < NEAR_MIN_LETTERS or heard[0] != wanted[0]:
        return False
    allowed = 2 if len(wanted) >= 10 else 1
    return (jellyfish.levenshtein_distance(heard, wanted) <= allowed
            and jellyfish.metaphone(heard) == jellyfish.metaphone(wanted))


def near_name(heard: str, wanted: str) -> bool:
    """Whether `heard` is a file name spelt like `wanted` but one letter off before its last dot
    ("co.max" for "io.max", the "s" of "its" heard in it): same extension, same length."""
    import jellyfish

    heard = heard.strip("\"'`“”‘’()[]{}<>,;:!?").rstrip(".").lower()
    wanted = wanted.lower()
    if "." not in wanted or "." not in heard:
        return False
    (h_stem, h_ext), (w_stem, w_ext) = heard.rsplit(".", 1), wanted.rsplit(".", 1)
    return (h_ext == w_ext and len(h_stem) == len(w_stem) >= 2 and h_stem.isalpha()
            and jellyfish.hamming_distance(h_stem, w_stem) == 1)


def find_near(term: KeyTerm | str | Sequence[str], words: Sequence[Word | str],
              taken: Collection[int] = ()) -> TermMatch | None:
    """Whole words that spell the term (or an alias) word for word, with at least one of them
    a near spelling (`near_word`); a lone near word must be one Whisper was unsure of."""
    texts = [match_tokens(_text(w)) for w in words]
    for spelling in _spellings(term):
        wanted = [match_tokens(part) for part in spelling.split()]
        if not all(wanted):
            continue
        size = len(wanted)
        for first in range(len(words) - size + 1):
            if taken and set(range(first, first + size)) & set(taken):
                continue
            heard = texts[first : first + size]
            pairs = list(zip(heard, wanted, strict=True))
            near = [i for i, (h, w) in enumerate(pairs) if h != w]
            if not near or not all(
                    (len(h) == 1 == len(w) and near_word(h[0], w[0]))
                    or near_name(_text(words[first + i]), spelling.split()[i])
                    for i, (h, w) in ((i, pairs[i]) for i in near)):
                continue
            plain = [i for i in near if not near_name(_text(words[first + i]),
                                                      spelling.split()[i])]
            if len(near) == size and plain and max(
                    _probability(words[first + i]) for i in plain) >= NEAR_UNSURE:
                continue  # no word of the term written right, and Whisper was sure
            return TermMatch(WordSpan(first, first + size - 1), NEAR, spelling)
    return None


@dataclass(frozen=True)
class PartialMatch:
    """Some words of a multi-word term said in a row, the rest not ("exit code" for
    "exit code 137"): a miss, with what was left out."""

    span: WordSpan
    said: str
    left_out: str


def find_partial(term: KeyTerm, words: Sequence[Word | str], taken: Collection[int] = ()
                 ) -> PartialMatch | None:
    """At least two leading or trailing words of a term of three or more, said in a row."""
    parts = term.term.split()
    for size in range(len(parts) - 1, 1, -1):
        for piece, rest in ((parts[:size], parts[size:]), (parts[-size:], parts[:-size])):
            if {piece[0].lower(), piece[-1].lower()} & GLUE_WORDS:
                continue  # "backoff with", "and limits": not the term's own words
            for span in find_spans(" ".join(piece), words, whole_words=True):
                if taken and set(range(span.first, span.last + 1)) & set(taken):
                    continue
                said = " ".join(_text(w) for w in words[span.first : span.last + 1])
                return PartialMatch(span, said.strip(",.?!"), " ".join(rest))
    return None
