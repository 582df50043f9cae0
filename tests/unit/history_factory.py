"""Real `Feedback` records for history tests, built by the pure analyses from text (no audio).

One keyword-only factory, so every history test stores feedback of the true shape.
"""

from __future__ import annotations

from coach.feedback import Feedback, build_feedback
from coach.grammar import GrammarFinding, GrammarReport, not_checked
from coach.scenarios import FollowUp, KeyTerm, Scenario
from coach.transcript import Transcript

OOM = Scenario(
    id="oom-silent-restart", title="Container restarts with nothing in its logs", kind="opening",
    time_limit_s=30, prompt="A container keeps restarting with no error in its logs.",
    module="system-debug",
    key_terms=(KeyTerm("OOMKiller", ("OOM killer",), model_sentence="The OOMKiller ended it."),
               KeyTerm("dmesg", ("d message",), model_sentence="dmesg shows the kill."),
               KeyTerm("memory.max", ("memory max",))),
    follow_ups=(FollowUp("Where on the node is the proof?", ("dmesg", "OOMKiller")),
                FollowUp("Which cgroup file has the limit?", ("memory.max",))),
)

GOOD_TEXT = ("I suspect the OOMKiller ended the process. I would check dmesg and compare "
             "memory.max with the real peak usage. As a mitigation I would raise the limit for "
             "now and fix the leak next. That is my plan for the first ten minutes.")
FILLER_TEXT = ("Um so basically I think it is uh the OOMKiller you know. Um I would like check "
               "the the logs uh and um restart it.")


def make_feedback(*, text: str = GOOD_TEXT, scenario: Scenario = OOM,
                  words_per_second: float = 2.4, grammar_issues: int | None = None,
                  audio_path: str = "") -> Feedback:
    """Feedback for `text` spoken evenly at `words_per_second`.

    `grammar_issues`: None = grammar not checked, N = checked with N made-up issues.
    """
    transcript = Transcript.from_text(text, words_per_second=words_per_second)
    if grammar_issues is None:
        grammar = not_checked("none", "Grammar checking is turned off in settings.")
    else:
        grammar = GrammarReport(True, "test", tuple(
            GrammarFinding("he go", "Use 'goes'.", "he goes", ("he goes",), "R", "GRAMMAR",
                           0.5, 0, 2) for _ in range(grammar_issues)))
    return build_feedback(transcript, scenario, grammar, audio_path=audio_path)
