"""Analyse an answer and keep it as an attempt: the one call of the app, practice and rounds.

    attempt, feedback, error = analyze_and_keep(coach, store, "answer.wav", "oom-silent-restart")

Order matters: the recording is copied into the history and its attempt row written (status
"recorded") BEFORE the analysis starts, so a crash or a kill during the analysis loses
nothing; `reanalyze(coach, store, attempt_id)` finishes such an attempt later. An analysis
that fails for a reason the user can act on (no speech, unreadable file...) is kept as
status "failed" with its error code and message, and returned as `error`; anything else is
kept as "failed" too and then raised, because it is a bug rather than a result. A file that
was never a usable recording (not audio, empty, too short or too long:
`AudioError.rejects_input`) is not kept at all: its attempt and copy are removed, and its
error names the user's file, not the copy.

A recording may also be a `StreamedAnswer` (coach/streamed_answer.py): an answer transcribed
while it was recorded. It is kept the same way first (its file, or the stream's own audio as a
WAV, analysed from memory as the WAV holds it rather than read back); then only the stream's
last chunk is left to decode before the analyses.

Follow-up answers (in a round) are judged against `follow_up_scenario(...)`: the same scenario
narrowed to the key terms the question targets, with a shorter time limit.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coach.audio.decode import AudioClip, check_length
from coach.errors import CoachError
from coach.feedback import Feedback
from coach.history.errors import HistoryWriteFailed
from coach.history.records import Attempt
from coach.history.store import HistoryStore
from coach.history.unwritable import keep_elsewhere
from coach.history.workers import analysing
from coach.scenarios import Scenario
from coach.streamed_answer import StreamedAnswer
from coach.transcript import Transcript

if TYPE_CHECKING:  # coach.coach loads the engines' modules: not needed to run this one
    from coach.coach import Coach

FOLLOW_UP_TIME_LIMIT_S = 30
# A follow-up answer is one part of a full answer: the part a follow-up question usually probes.
FOLLOW_UP_STRUCTURE = {"opening": ("first checks",), "rca": ("evidence",),
                       "review": ("suggestion",), "explain": ("finding",),
                       "design": ("trade-off",)}



@dataclass(frozen=True)
class Outcome:
    """What became of one recording. Exactly one of `feedback` and `error` is None.

    Unpacks as `attempt, feedback, error`. `unkept` says why the history could not keep the
    answer (a full disk, a read-only database...) and where its recording is instead; the
    feedback is still there.
    """

    attempt: Attempt | None  # the kept attempt; None when there is no history to keep it in
    feedback: Feedback | None
    error: CoachError | None
    unkept: HistoryWriteFailed | None = None

    def __iter__(self) -> Iterator:
        return iter((self.attempt, self.feedback, self.error))


def analyze_and_keep(coach: Coach, store: HistoryStore,
                     recording_path: str | Path | StreamedAnswer, scenario: Scenario | str,
                     *, round_id: int | None = None, round_step: int | None = None,
                     question: str = "",
                     targets: Sequence[str] = (), name: str | None = None,
                     on_kept: Callable[[Attempt], object] | None = None) -> Outcome:
    """Keep the recording, analyse it, keep the result; returns (attempt, feedback, error).

    Exactly one of `feedback` and `error` is None. With a `question`, the answer is a
    follow-up (kind "follow-up") judged on the key terms in `targets`. `name` is how
    messages call the recording (default: the name of `recording_path`). `on_kept` is called
    with the attempt once it is kept, before the analysis starts.
    """
    if isinstance(scenario, str):
        scenario = coach.library.resolve(scenario)
    streamed = recording_path if isinstance(recording_path, StreamedAnswer) else None
    try:
        with tempfile.TemporaryDirectory(prefix="coach-answer-") as folder:
            if isinstance(recording_path, StreamedAnswer):
                path = recording_path.keep_as(Path(folder))
            else:
                path = Path(recording_path)
            try:
                attempt = store.save_recording(
                    path, scenario.id, round_id, round_step=round_step,
                    kind="follow-up" if question else "answer", question=question,
                    targets=targets)
            except HistoryWriteFailed as failed:  # still analysed, kept elsewhere if it fits
                judged = (follow_up_scenario(scenario, question, targets) if question
                          else scenario)
                return _analyze_unkept(coach, path, judged, failed, streamed,
                                       name or path.name)
        if on_kept is not None:
            on_kept(attempt)
        judged = judged_scenario(scenario, attempt)
        transcribe = streamed.transcriber_for(coach, judged) if streamed else None
        name = name or (streamed.name if streamed and not streamed.path else path.name)
        # a stream's own audio is already in memory: not read back (while the stream decodes)
        clip = streamed.kept_clip(store.recording(attempt)) if streamed else None
        with analysing(store.path.parent, attempt.id):  # the page knows a worker is alive
            return _analyze(coach, store, attempt, judged, name, transcribe, clip)
    finally:
        if streamed:
            streamed.cancel()  # nothing to do once finished; an unused stream stops decoding


def reanalyze(coach: Coach, store: HistoryStore, attempt_id: int, *,
              name: str | None = None) -> Outcome:
    """Analyse a kept attempt (again) from its kept recording: after a crash, a new model, or
    an upload kept while it waited for its analysis. `name`: how messages call the recording."""
    attempt = store.get(attempt_id)
    store.recording(attempt)  # RecordingNotFound before any work if it was deleted
    scenario = coach.library.resolve(attempt.scenario_id)
    with analysing(store.path.parent, attempt.id):
        return _analyze(coach, store, attempt, judged_scenario(scenario, attempt), name)


def judged_scenario(scenario: Scenario, attempt: Attempt) -> Scenario:
    """The scenario an attempt is analysed against: itself, or the follow-up version of it."""
    if attempt.kind == "follow-up":
        return follow_up_scenario(scenario, attempt.question, attempt.targets)
    return scenario


def follow_up_scenario(scenario: Scenario, question: str, targets: Sequence[str]) -> Scenario:
    """`scenario` narrowed to a follow-up question: its targeted key terms, 30 s at most.

    Targets that are not key terms of the scenario are ignored; with none left, every key
    term counts. The model sentences of the targeted terms become the reference answer.
    """
    terms = tuple(t for t in scenario.key_terms if t.term in set(targets)) or scenario.key_terms
    return replace(
        scenario, prompt=question, key_terms=terms, follow_ups=(),
        time_limit_s=min(FOLLOW_UP_TIME_LIMIT_S, scenario.time_limit_s),
        structure=FOLLOW_UP_STRUCTURE[scenario.kind],
        reference_answer=" ".join(t.model_sentence for t in terms if t.model_sentence))


def _analyze(coach: Coach, store: HistoryStore, attempt: Attempt, scenario: Scenario,
             name: str | None = None,
             transcribe: Callable[[], Transcript] | None = None,
             clip: AudioClip | None = None) -> Outcome:
    """`transcribe`: gives the transcript already made while the answer was recorded;
    `clip`: the kept recording, already in memory (checked here as a file would be)."""
    try:
        if clip is None:
            clip = coach.load(store.recording(attempt), name=name)
        else:
            clip = check_length(clip, min_duration_s=coach.settings.min_duration_s,
                                max_duration_s=coach.settings.max_duration_s, name=name or "")
        if transcribe is None:
            feedback = coach.analyze(clip, scenario)
        else:
            started = time.perf_counter()
            transcript = transcribe()  # waits for the stream's last chunk (and any backlog)
            waited_ms = round((time.perf_counter() - started) * 1000)
            feedback = coach.analyze(clip, scenario, transcript=transcript)
            # what transcribing cost after Stop (the key keeps its place among the stages)
            feedback = replace(feedback, stage_ms={**feedback.stage_ms, "transcribe": waited_ms})
    except CoachError as error:
        try:
            if error.rejects_input:
                store.discard(attempt.id)  # the returned attempt is the last view of it
                return Outcome(attempt, None, error)
            return Outcome(store.record_failure(attempt.id, error), None, error)
        except HistoryWriteFailed as failed:
            return Outcome(attempt, None, error, _kept_as(failed, attempt))
    except Exception as error:
        with contextlib.suppress(HistoryWriteFailed):  # the bug matters more
            store.record_failure(attempt.id, error)
        raise
    try:
        return Outcome(store.record_feedback(attempt.id, feedback), feedback, None)
    except HistoryWriteFailed as failed:  # the feedback is shown all the same
        return Outcome(attempt, feedback, None, _kept_as(failed, attempt))


def _kept_as(failed: HistoryWriteFailed, attempt: Attempt) -> HistoryWriteFailed:
    return HistoryWriteFailed(
        f"{failed.message} This feedback is not kept; the recording is, as attempt "
        f"{attempt.id} ({attempt.recording_path}): 'coach history reanalyze {attempt.id}' "
        "analyses it again once the history can be written.", hint=failed.hint)


def _analyze_unkept(coach, path: Path, scenario: Scenario, failed: HistoryWriteFailed,
                    streamed: StreamedAnswer | None, name: str) -> Outcome:
    """The history refused the recording: keep it in a fallback folder, analyse it anyway."""
    kept = keep_elsewhere(path, scenario.id)
    where = (f"Your recording is kept at {kept} instead." if kept else
             "Your recording could not be kept anywhere else either (every folder is full).")
    unkept = HistoryWriteFailed(f"{failed.message} {where}", hint=failed.hint)
    transcribe = streamed.transcriber_for(coach, scenario) if streamed else None
    clip = streamed.kept_clip(kept or path) if streamed else None
    try:
        if clip is None:
            clip = coach.load(kept or path, name=name)
        else:
            clip = check_length(clip, min_duration_s=coach.settings.min_duration_s,
                                max_duration_s=coach.settings.max_duration_s, name=name)
        if transcribe is None:
            feedback = coach.analyze(clip, scenario)
        else:
            feedback = coach.analyze(clip, scenario, transcript=transcribe())
    except CoachError as error:
        return Outcome(None, None, error, unkept)
    return Outcome(None, feedback, None, unkept)
