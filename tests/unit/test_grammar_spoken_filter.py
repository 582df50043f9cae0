"""Unit tests of coach/grammar/spoken_filter.py and vocabulary.py on hand-made LanguageTool issues.

Every issue is built by `make_issue`; each table row is a case that fails if the rule it names
is broken (a drop rule that stops dropping, or a keep case that starts being dropped).
"""

from __future__ import annotations

import re

import pytest

from coach.grammar.issues import GrammarIssue
from coach.grammar.spoken_filter import DROPPED_CATEGORIES, DROPPED_RULES, filter_spoken_issues
from coach.grammar.vocabulary import FIELD_VOCABULARY, expand, vocabulary
from coach.lexicon import SPOKEN_FORMS, TECHNICAL_WORDS

SPELLING = {"rule_id": "MORFOLOGIK_RULE_EN_US", "category": "TYPOS"}


def make_issue(
    *,
    text: str,
    flagged: str,
    rule_id: str = "SOME_GRAMMAR_RULE",
    category: str = "GRAMMAR",
    replacements: tuple[str, ...] = (),
    occurrence: int = 0,
    message: str = "A message.",
) -> GrammarIssue:
    """A GrammarIssue on the `occurrence`-th appearance of `flagged` as whole words in `text`."""
    pattern = re.escape(flagged)
    if flagged[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if flagged[-1].isalnum():
        pattern += r"(?!\w)"
    start = [m.start() for m in re.finditer(pattern, text)][occurrence]
    return GrammarIssue(
        start=start,
        end=start + len(flagged),
        text=flagged,
        message=message,
        replacements=replacements,
        rule_id=rule_id,
        category=category,
    )


KEEP, DROP = True, False


def case(name: str, kept: bool, *, accepted: tuple[str, ...] = (), **issue: object):
    """One table row: `issue` holds make_issue's arguments."""
    return pytest.param(issue, accepted, kept, id=name)


CASES = [
    # --- kept: what a speaker gets wrong out loud ---------------------------------------
    case("agreement were/was", KEEP, text="The container were restarting.", flagged="were",
         rule_id="COACH_SINGULAR_NOUN_WERE", replacements=("was",)),
    case("agreement it show", KEEP, text="it show that the memory is full", flagged="show",
         rule_id="IT_VBZ", replacements=("shows",)),
    case("agreement we doesn't", KEEP, text="we doesn't see any logs", flagged="doesn't",
         rule_id="BASE_FORM", replacements=("don't",)),
    case("agreement there is many", KEEP, text="there is many reasons",
         flagged="there is many reasons", rule_id="THERE_S_MANY",
         replacements=("there are many reasons",)),
    case("tense have went", KEEP, text="I have went to the node.", flagged="went",
         rule_id="HAVE_PART_AGREEMENT", replacements=("gone",)),
    case("article a/an", KEEP, text="It was a issue with the disk.", flagged="a",
         rule_id="EN_A_VS_AN", category="MISC", replacements=("an",)),
    case("wrong word", KEEP, text="We lost the data then.", flagged="then",
         rule_id="THEN_THAN", category="CONFUSED_WORDS", replacements=("than",)),
    case("grammar without suggestion", KEEP, text="He go home.", flagged="go"),
    case("misspelling of an ordinary word", KEEP, text="The proces was killed.",
         flagged="proces", replacements=("process",), **SPELLING),
    case("accepted word does not hide a grammar issue on it", KEEP, accepted=("show",),
         text="The pod show errors.", flagged="show", rule_id="NN_VBP",
         replacements=("shows",)),
    case("MISC rule other than word repeat", KEEP, text="It costed a lot.", flagged="costed",
         rule_id="SOME_MISC_RULE", category="MISC", replacements=("cost",)),
    case("one audible suggestion keeps it", KEEP, text="its fine", flagged="its",
         rule_id="IT_IS", replacements=("it's", "it is")),
    # --- dropped: writing, not speech --------------------------------------------------
    case("category CASING", DROP, text="it show that", flagged="it",
         rule_id="UPPERCASE_SENTENCE_START", category="CASING", replacements=("It",)),
    case("casing rule filed elsewhere", DROP, text="it show that", flagged="it",
         rule_id="UPPERCASE_SENTENCE_START", category="MISC", replacements=("It",)),
    case("category PUNCTUATION (comma)", DROP, text="So we restarted it and it worked.",
         flagged="it and", rule_id="COMMA_COMPOUND_SENTENCE", category="PUNCTUATION",
         replacements=("it, and",)),
    case("missing final punctuation", DROP, text="the memory is full", flagged="full",
         rule_id="PUNCTUATION_PARAGRAPH_END", category="MISC", replacements=("full.",)),
    case("category TYPOGRAPHY", DROP, text="He said “yes' then.", flagged="'",
         rule_id="EN_QUOTES", category="TYPOGRAPHY", replacements=("”",)),
    case("whitespace rule", DROP, text="The  node", flagged="  ", rule_id="WHITESPACE_RULE",
         category="MISC", replacements=(" ",)),
    case("punctuation-only span, unknown rule", DROP, text="Done ,really", flagged=" ,",
         rule_id="UNKNOWN_RULE"),
    case("category STYLE", DROP, text="It is very important.", flagged="very important",
         rule_id="EN_WEAK_ADJECTIVE", category="STYLE", replacements=("crucial",)),
    case("category REDUNDANCY", DROP, text="The end result was fine.", flagged="end result",
         rule_id="END_RESULT", category="REDUNDANCY", replacements=("result",)),
    case("category COMPOUNDING", DROP, text="Check the log file.", flagged="log file",
         rule_id="LOG_FILE", category="COMPOUNDING", replacements=("logfile",)),
    case("word repeat is a disfluency", DROP, text="the the node", flagged="the the",
         rule_id="ENGLISH_WORD_REPEAT_RULE", category="MISC", replacements=("the",)),
    case("sounds the same: apostrophe", DROP, text="its fine", flagged="its",
         rule_id="IT_IS", replacements=("it's",)),
    case("sounds the same: hyphen and case", DROP, text="Send an email.", flagged="email",
         rule_id="EMAIL", replacements=("e-mail", "E-mail")),
    case("misspelling whose first suggestion sounds the same", DROP, text="The zorpdb died.",
         flagged="zorpdb", replacements=("ZorpDB", "zorp"), **SPELLING),
    case("misspelling whose first suggestion sounds different", KEEP, text="The zorpdb died.",
         flagged="zorpdb", replacements=("zorp", "ZorpDB"), **SPELLING),
    # --- dropped: technical words are not misspellings -----------------------------------
    case("hyphenated compound with a term", DROP, text="We added eBPF-based alerts.",
         flagged="eBPF-based", **SPELLING),
    case("hyphenated compound without a term", KEEP, text="We added zorpy-based alerts.",
         flagged="zorpy-based", **SPELLING),
    case("built-in term", DROP, text="We checked dmesg first.", flagged="dmesg", **SPELLING),
    case("built-in term, other case", DROP, text="The OOMKiller fired.", flagged="OOMKiller",
         **SPELLING),
    case("built-in term, plural", DROP, text="Both kubelets crashed.", flagged="kubelets",
         **SPELLING),
    case("built-in term, acronym plural", DROP, text="Two PVCs were pending.", flagged="PVCs",
         **SPELLING),
    case("built-in term, possessive", DROP, text="The containerd's shim died.",
         flagged="containerd's", **SPELLING),
    case("piece of a dotted name", DROP, text="Look at memory.events now.", flagged="events",
         **SPELLING),
    case("piece of io.max", DROP, text="We set io.max there.", flagged="io", **SPELLING),
    case("identifier-shaped token", DROP, text="See kube_pod_infoz here.",
         flagged="kube_pod_infoz", **SPELLING),
    case("path", DROP, text="Read /proc/meminfoo then.", flagged="meminfoo", **SPELLING),
    case("path in brackets", DROP, text="Read the file (/procz) first.", flagged="procz",
         **SPELLING),
    case("dotted name at sentence end", DROP, text="We read memory.eventz.", flagged="eventz",
         **SPELLING),
    case("caller's accepted word, any case", DROP, accepted=("foobard",),
         text="Then Foobard restarted.", flagged="Foobard", **SPELLING),
    case("caller's multi-word alias, word by word", DROP, accepted=("Zorp queue",),
         text="The zorp queue filled.", flagged="zorp", **SPELLING),
    case("caller's multi-word alias, joined", DROP, accepted=("Zorp queue",),
         text="The ZorpQueue filled.", flagged="ZorpQueue", **SPELLING),
    case("misspelling near, not on, an accepted word", KEEP, accepted=("zorp",),
         text="The zorp qeue filled.", flagged="qeue", replacements=("queue",), **SPELLING),
]  # fmt: skip


@pytest.mark.parametrize(("issue_args", "accepted", "kept"), CASES)
def test_filter_spoken_issues(issue_args: dict, accepted: tuple[str, ...], kept: bool) -> None:
    issue = make_issue(**issue_args)
    result = filter_spoken_issues([issue], issue_args["text"], accepted)
    assert result == ([issue] if kept else [])


def test_keeps_order_and_drops_only_the_noise() -> None:
    text = "so the container were restarting and it show errors in dmesg"
    casing = make_issue(
        text=text, flagged="so", rule_id="UPPERCASE_SENTENCE_START", category="CASING"
    )
    were = make_issue(text=text, flagged="were", replacements=("was",))
    show = make_issue(text=text, flagged="show", replacements=("shows",))
    dmesg = make_issue(text=text, flagged="dmesg", **SPELLING)
    assert filter_spoken_issues([casing, were, show, dmesg], text) == [were, show]


def test_offsets_from_another_text_fall_back_to_the_flagged_words() -> None:
    issue = make_issue(text="We checked dmesg.", flagged="dmesg", **SPELLING)
    assert filter_spoken_issues([issue], "Something else entirely.") == []


def test_a_scenario_word_is_accepted_only_where_it_is_given() -> None:
    text = "We checked dmesg and foobard."
    dmesg = make_issue(text=text, flagged="dmesg", **SPELLING)
    foobard = make_issue(text=text, flagged="foobard", **SPELLING)
    assert filter_spoken_issues([dmesg, foobard], text) == [foobard]
    assert filter_spoken_issues([dmesg, foobard], text, ["foobard"]) == []


USUAL_TERMS = """cgroup containerd kubelet overlayfs tmpfs fsync iowait nsenter dmesg oomkiller
    iostat ebpf runc shim gp3 io2 pvc io.max memory.events"""


@pytest.mark.parametrize("term", USUAL_TERMS.split())
def test_field_vocabulary_has_the_usual_terms(term: str) -> None:
    assert term in FIELD_VOCABULARY


def test_field_vocabulary_is_the_lexicon_s_one_list_and_spoken_forms() -> None:
    assert TECHNICAL_WORDS <= FIELD_VOCABULARY
    assert {"cgroup v2", "cgroupv2", "cgroup-v2", "v2"} <= FIELD_VOCABULARY  # a SPOKEN_FORMS term
    assert all(term in FIELD_VOCABULARY for term in SPOKEN_FORMS)
    assert "zorp" not in FIELD_VOCABULARY and "zorp" in vocabulary(["Zorp"])


def test_vocabulary_is_normalised() -> None:
    assert all(word == word.casefold().strip() for word in FIELD_VOCABULARY)
    assert expand(["  Zorp   Queue "]) == {"zorp queue", "zorp", "queue", "zorpqueue", "zorp-queue"}


def test_every_dropped_category_and_rule_says_why() -> None:
    for reason in [*DROPPED_CATEGORIES.values(), *DROPPED_RULES.values()]:
        assert reason.strip()
    assert "GRAMMAR" not in DROPPED_CATEGORIES and "TYPOS" not in DROPPED_CATEGORIES
