"""Feedback rendered as text for a terminal (optionally coloured). Returns strings; never prints."""

from __future__ import annotations

from coach.analysis.reading_guide import GuideWord
from coach.analysis.timing import clock
from coach.feedback import Feedback

_COLOURS = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


class _Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *names: str) -> str:
        if not self.colour or not names:
            return text
        codes = ";".join(_COLOURS[n] for n in names)
        return f"\033[{codes}m{text}\033[0m"


def _verdict_colour(verdict: str) -> str:
    return {"good": "green", "some": "yellow", "slow": "yellow", "fast": "yellow",
            "high": "red"}.get(verdict, "cyan")


def render_text(feedback: Feedback, *, colour: bool = False) -> str:
    s = _Style(colour)
    f = feedback
    t = f.timing
    lines = [
        s(f"{f.scenario.title}", "bold") + s(f"  [{f.scenario.id}, {f.scenario.kind}]", "dim"),
        "",
        s("What you said", "bold"),
        f"  {f.transcript.text}",
    ]
    for note in f.transcript.notes:
        lines.append(s(f"  (note: {note})", "dim"))
    over = s(t.length_note, "red" if t.ran_over else "green")
    if f.score.total is None:
        headline = s("Too short to judge: no score", "bold")
    else:
        partial = (f" (partial: {', '.join(f.score.unmeasured)} not checked)"
                   if f.score.partial else "")
        headline = s(f"Score {f.score.total:.0f}/100", "bold") + s(partial, "yellow")
    lines += [
        "",
        headline,
        *(f"  {i}. {a}" for i, a in enumerate(f.score.advice, 1)),
        "",
        s("Timing", "bold"),
        f"  answer {clock(t.length_s)}: {over}",
        f"  pace {t.wpm:.0f} wpm: " + s(t.pace_verdict, _verdict_colour(t.pace_verdict))
        + s(f" (good range {t.pace_range.low:.0f}-{t.pace_range.high:.0f})", "dim"),
    ]
    if t.pace_over_time:
        lines.append("  pace by 5 s: " + " ".join(f"{p.wpm:.0f}" for p in t.pace_over_time))
    if t.first_key_term_s is not None:
        lines.append(f"  first key term after {t.first_key_term_s:.1f} s")
    p = f.pauses
    lines.append(f"  pauses: {len(p.pauses)} ({len(p.long_pauses)} long)")
    for pause in p.long_pauses:
        lines.append(s(f"    {pause.duration:.1f} s at {pause.start:.1f} s, {pause.where} "
                       f"(after \"{pause.after_word}\")", "dim"))
    fl = f.fillers
    lines += ["", s("Fillers", "bold") + f"  {fl.total} ({fl.per_minute:.1f}/min, "
              f"{fl.per_100_words:.1f} per 100 words): "
              + s(fl.verdict, _verdict_colour(fl.verdict))]
    if fl.items:
        lines.append("  " + ", ".join(f"{i.text} @{i.start:.1f}s" for i in fl.items))
    if fl.repetitions:
        lines.append("  repeats: " + ", ".join(f"\"{r.text}\"" for r in fl.repetitions))
    c = f.coverage
    lines += ["", s("Key terms", "bold") + f"  {len(c.covered)}/{c.total}"]
    lines += [s(f"  ✓ {h.term}", "green") + s(f" at {h.start:.1f} s", "dim")
              + (s(f" ({h.evidence}: heard as \"{h.said_as}\")", "dim")
                 if h.heard_differently else "") for h in c.covered]
    lines += [s(f"  ~ {h.term}", "yellow") + f" heard as \"{h.heard}\"" for h in c.heard_as]
    lines += [s(f"  ✗ {m}", "red") + (f": {c.partial_hint(m)}" if c.partial_hint(m) else "")
              for m in c.missing]
    g = f.grammar
    lines += ["", s("Grammar", "bold") + s(f"  ({g.engine})", "dim")]
    if not g.checked:
        lines.append(s(f"  not checked: {g.reason}", "yellow"))
    if g.note:
        lines.append(s(f"  note: {g.note}", "yellow"))
    elif not g.issues:
        lines.append(s("  no issues found", "green"))
    for issue in g.issues:
        fix = f" -> \"{issue.suggestion}\"" if issue.suggestion else ""
        lines.append(f"  \"{issue.words}\"{fix}: {issue.message}")
    if f.unclear.words:
        lines += ["", s("Unclear words", "bold") + s("  (kept as heard, not corrected)", "dim")]
        lines += [f"  \"{w.text}\" at {w.start:.1f} s: {w.note}" for w in f.unclear.words]
    if f.pronunciation.hints:
        lines += ["", s("Pronunciation", "bold")]
        for hint in f.pronunciation.hints:
            ipa = f" /{hint.ipa}/" if hint.ipa else ""
            lines.append(f"  {hint.advice}{s(ipa, 'cyan')}")
    lines += _sounds(f, s)
    pol = f.polished
    fit = "" if pol.fits else f", over the {pol.limit_s} s limit"
    lines += ["", s("Polished answer: your own, made better", "bold")
              + s(f"  ({_duration(pol)}{fit})", "dim"),
              f"  {_guide(pol.words, s)}",
              s("  (stress the starred words, pause at /)", "dim")]
    if pol.added_terms:
        lines.append(s(f"  added the key terms you missed: {', '.join(pol.added_terms)}", "green"))
    if pol.left_out:
        lines.append(s("  left out to fit the time: " + "; ".join(pol.left_out), "yellow"))
    if pol.missing_parts and f.judged:
        lines.append(s(f"  still missing: {', '.join(pol.missing_parts)}", "yellow"))
    if f.model_answer.text:
        lines += ["", s("A model answer", "bold")
                  + s(f"  ({_duration(f.model_answer)}; another way to answer)", "dim"),
                  f"  {_guide(f.model_answer.words, s)}"]
    return "\n".join(lines) + "\n"


def _sounds(f: Feedback, s: _Style) -> list[str]:
    """The sounds of each key term said: flagged ones with what they sounded like and a tip."""
    sounds = f.sounds
    if not sounds.checked:
        return ["", s("Sounds of key terms", "bold"), s(f"  {sounds.message}", "yellow")]
    lines = ["", s("Sounds of key terms", "bold")]
    if not sounds.words:
        lines.append(s("  no key term said to check", "dim"))
    for word in sounds.words:
        ipa = s(" /" + " ".join(p.expected for p in word.phonemes) + "/", "cyan")
        if not word.judged:
            lines.append(f"  {word.term}{ipa}: " + s(f"not judged ({word.reason})", "yellow"))
        elif not word.flagged:
            lines.append(f"  {word.term}{ipa}: " + s("every sound as expected", "green"))
        else:
            lines.append(f"  {word.term}{ipa}:")
            lines += ["    " + s(f"✗ {p.note}", "red") + (f": {p.tip}" if p.tip else "")
                      for p in word.flagged]
    return lines


def _guide(words: tuple[GuideWord, ...], s: _Style) -> str:
    """Words to stress starred (and bold), "/" where to pause, unclear words marked "(?)"."""
    out = []
    for word in words:
        text = s(f"*{word.text}*", "bold") if word.stress else word.text
        if word.origin == "unclear":
            text += s("(?)", "yellow")
        out.append(text + (" /" if word.pause == "phrase" else ""))
    return " ".join(out)


def _duration(answer) -> str:
    """The one duration of a polished or model answer: its audio's, else the voice's estimate."""
    if answer.audio_s is not None:
        return f"{answer.audio_s:.0f} s as played"
    return f"~{answer.estimated_s:.0f} s as the {answer.voice} voice says it at {answer.wpm} wpm"
