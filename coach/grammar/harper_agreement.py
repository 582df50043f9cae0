"""Subject-verb agreement after a noun ("the pods was", "the container were", "the node have"),
for the Harper grammar engine. Pure functions over text; no I/O.

Harper 2.13 catches agreement after pronouns ("we was", "I has") but not after nouns, and its
rule language (Weir) cannot tell a plural noun from a singular one. These are the rules coach
adds to LanguageTool for the same errors (COACH_* in its rule XML), written over words:
determiner + [one modifier] + noun + verb, where the noun's number comes from its ending and
word lists. They stay silent for the subjunctive ("if the disk were faster"), a noun inside a
prepositional phrase ("one of the nodes was"), a compound subject ("the node and the pod
were"), questions ("what the hell were you doing"), bare infinitives ("we watched the node
come back"), names and acronyms ("the DNS was"), and collective, quantity or -s singular
nouns ("the team were", "the news was"). Precision over recall.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from coach.grammar.issues import GrammarIssue


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_BREAK = re.compile(r"[.,;:!?()\[\]\"“”—–]")  # no agreement across these

# Not "that": without part-of-speech tags, "the jobs that run are" reads like "that job are".
SINGULAR_DETERMINERS = words(
    "the this a an my our your his her its their each every")
PLURAL_DETERMINERS = words(
    "the these those my our your his her its their all some many several both few")
_PREPOSITIONS = words(
    "and or nor of in on at from with for by to into inside within across under behind "
    "between than like about per among")
# a word before the determiner that makes the clause something other than subject + verb
_BEFORE_PLURAL = _PREPOSITIONS | {"if", "though", "whether", "one", "each", "none", "either",
                                  "neither"}
_BEFORE_WERE = _PREPOSITIONS | {"if", "though", "whether", "wish", "wished", "suppose"}
_BEFORE_BASE_VERB = _PREPOSITIONS | words(  # "let the pod come up", "did the node have"
    "let lets letting make makes making made help helps helping helped watch watches watching "
    "watched saw see sees seeing seen hear hears hearing heard did does do which who if unless "
    "whether lest should would could might must will can may shall")
_PRONOUNS_AFTER = words("i you we they he she it there")  # "were you", "was it"

# Not nouns, or not ones that take a verb here: never the subject word of a match.
_FUNCTION_WORDS = SINGULAR_DETERMINERS | PLURAL_DETERMINERS | _PREPOSITIONS | words(
    "i you we they he she it me him us them there here then now also just only still really "
    "always never already even so very not no same other another such what which who whom "
    "whose when where why how if because while as was were is are be been being has have had "
    "do does did will would can could should may might must one ones any")
COLLECTIVE_NOUNS = words(
    "team staff police family government management majority minority couple crowd people "
    "group data media crew board committee audience public rest remainder number series "
    "species lot bunch pair set range variety kind sort type total half percent percentage "
    "portion part children men women feet teeth mice criteria phenomena ops sales news")
S_SINGULAR_NOUNS = words(
    "data media criteria news series species means physics mathematics economics politics "
    "statistics analytics logistics ethics metrics headquarters whereabouts lens bus gas status "
    "campus virus process access address class loss business kubernetes jenkins ios macos dns "
    "postgres cassandra redis sales odds thanks ops devops sres pros cons alias bias canvas "
    "atlas chaos kudos always perhaps this its his yes plus thus")
# base form -> third person, for verbs that are not also nouns ("show", "use", "run", "need"
# and "go" are: "the memory use", "the go binary")
_THIRD_PERSON = {"have": "has", "do": "does", "don't": "doesn't", "come": "comes",
                 "become": "becomes", "happen": "happens", "seem": "seems", "get": "gets",
                 "give": "gives", "know": "knows", "want": "wants"}
_BASE_TIME_WORDS = words(
    "time way moment day week month year minute second hour reason thing")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.casefold().replace("’", "'")


def _is_name_or_acronym(token: _Token, known_nouns: frozenset[str]) -> bool:
    """A capitalised word or an acronym, unless it is a known noun (a scenario's key term)."""
    capitalised = token.text[0].isupper() or token.text.isupper()
    return capitalised and token.lower not in known_nouns


def _past_tense(word: str) -> bool:
    """"failed", "crashed" ("the pods that crashed were ..."), but not "speed" or "thread"."""
    return word.endswith("ed") and not word.endswith(("eed", "ead"))


def looks_plural(token: _Token, known_nouns: frozenset[str] = frozenset()) -> bool:
    word = token.lower
    return (len(word) >= 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))
            and word not in S_SINGULAR_NOUNS and word not in _FUNCTION_WORDS
            and not _is_name_or_acronym(token, known_nouns))


def looks_singular(token: _Token, known_nouns: frozenset[str] = frozenset()) -> bool:
    word = token.lower
    return (len(word) >= 3 and not word.endswith("s") and "'" not in word
            and not word.endswith(("ly", "ing")) and not _past_tense(word)
            and word not in COLLECTIVE_NOUNS
            and word not in _FUNCTION_WORDS and not _is_name_or_acronym(token, known_nouns))


def _clauses(text: str) -> list[list[_Token]]:
    """Runs of words with no punctuation between them."""
    clauses: list[list[_Token]] = [[]]
    last_end = 0
    for match in _WORD.finditer(text):
        if _BREAK.search(text, last_end, match.start()):
            clauses.append([])
        clauses[-1].append(_Token(match.group(), match.start(), match.end()))
        last_end = match.end()
    return [c for c in clauses if c]


@dataclass(frozen=True)
class _Rule:
    rule_id: str
    verbs: dict[str, str]  # verb as said -> the agreeing form
    determiners: frozenset[str]
    noun: Callable[[_Token, frozenset[str]], bool]  # whether the word is such a noun
    before: frozenset[str]  # antipattern: the word before the determiner
    number: str  # for the message
    extra_nouns_excluded: frozenset[str] = frozenset()


RULES = (
    _Rule("COACH_PLURAL_NOUN_WAS", {"was": "were"}, PLURAL_DETERMINERS, looks_plural,
          _BEFORE_PLURAL, "plural"),
    _Rule("COACH_PLURAL_NOUN_IS", {"is": "are", "has": "have", "doesn't": "don't"},
          PLURAL_DETERMINERS, looks_plural, _BEFORE_PLURAL, "plural"),
    _Rule("COACH_SINGULAR_NOUN_WERE", {"were": "was"}, SINGULAR_DETERMINERS, looks_singular,
          _BEFORE_WERE, "singular"),
    _Rule("COACH_SINGULAR_NOUN_ARE", {"are": "is"}, SINGULAR_DETERMINERS, looks_singular,
          _PREPOSITIONS, "singular"),
    _Rule("COACH_SINGULAR_NOUN_BASE_VERB", _THIRD_PERSON, SINGULAR_DETERMINERS - {"a", "an"},
          looks_singular, _BEFORE_BASE_VERB, "singular", _BASE_TIME_WORDS),
)


def agreement_issues(text: str, known_nouns: Iterable[str] = ()) -> list[GrammarIssue]:
    """Determiner + [modifier] + noun + verb whose number disagrees, with the verb flagged.

    `known_nouns` (lower case) may be capitalised or acronyms and still count as nouns: a
    scenario's key terms ("the OOMKiller have" is flagged, "the DNS have" is not).
    """
    known = frozenset(known_nouns)
    issues = []
    for clause in _clauses(text):
        for i, verb in enumerate(clause):
            for rule in RULES:
                if verb.lower in rule.verbs:
                    subject = _subject_before(clause, i, rule, known)
                    if subject is not None:
                        issues.append(_issue(rule, verb, subject))
    return sorted(issues, key=lambda issue: issue.start)


def _subject_before(clause: list[_Token], verb_index: int, rule: _Rule,
                    known_nouns: frozenset[str]) -> _Token | None:
    after = clause[verb_index + 1].lower if verb_index + 1 < len(clause) else ""
    if verb_index < 2 or after in _PRONOUNS_AFTER:
        return None
    noun = clause[verb_index - 1]
    if not rule.noun(noun, known_nouns) or noun.lower in rule.extra_nouns_excluded:
        return None
    for det_index in (verb_index - 2, verb_index - 3):  # determiner, or determiner + modifier
        if det_index < 0 or clause[det_index].lower not in rule.determiners:
            continue
        if det_index == verb_index - 3 and clause[det_index + 1].lower in _FUNCTION_WORDS:
            return None
        before = clause[det_index - 1].lower if det_index > 0 else ""
        return None if before in rule.before else noun
    return None


def _issue(rule: _Rule, verb: _Token, subject: _Token) -> GrammarIssue:
    correct = rule.verbs[verb.lower]
    if verb.text[0].isupper():
        correct = correct.capitalize()
    return GrammarIssue(
        start=verb.start, end=verb.end, text=verb.text,
        message=f"The subject ‘{subject.text}’ is {rule.number}, so use ‘{correct}’.",
        replacements=(correct,), rule_id=rule.rule_id, category="GRAMMAR")
