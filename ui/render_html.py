"""Feedback rendered as HTML for the practice app. Pure functions: Feedback in, HTML string out.

Everything the user said is escaped; the classes used here are styled by `ui/theme.css`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from coach.analysis.reading_guide import GuideWord
from coach.feedback import Feedback
from coach.ui.charts import clock, length_bar, pace_chart, score_ring

# kind -> (legend label, what the tooltip says)
MARKS = {
    "filler": ("filler", "filler"),
    "repeat": ("repeat", "repeated"),
    "term": ("key term", "key term"),
    "heard": ("heard as", "key term, misheard"),
    "grammar": ("grammar", "grammar"),
    "unsure": ("unclear", "unclear word: shown as heard, not corrected"),
}


@dataclass(frozen=True)
class Mark:
    kind: str
    note: str  # tooltip text
    start: float
    first: int  # word index where the marked span starts


def word_marks(feedback: Feedback) -> list[tuple[Mark, ...]]:
    """For each transcript word, the marks on it (a word can be a key term with a grammar issue)."""
    words = feedback.transcript.words
    marks: list[list[Mark]] = [[] for _ in words]

    def put(kind: str, note: str, first: int, count: int) -> None:
        if not 0 <= first < len(words):
            return
        mark = Mark(kind, note, words[first].start, first)
        for index in range(first, min(first + max(count, 1), len(words))):
            marks[index].append(mark)

    for item in feedback.fillers.items:
        put("filler", f'filler "{item.text}"', item.word_index, item.word_count)
    for rep in feedback.fillers.repetitions:
        first = rep.word_index
        put("repeat", f'{rep.kind}: "{rep.text}"', first, rep.word_count - rep.unit)
    for hit in feedback.coverage.covered:
        put("term", f"key term {hit.term}", hit.word_index, hit.word_count)
    for heard in feedback.coverage.heard_as:
        put("heard", f'"{heard.term}" heard as "{heard.heard}"', heard.word_index,
            heard.word_count)
    for issue in feedback.grammar.issues:
        fix = f' → "{issue.suggestion}"' if issue.suggestion else ""
        put("grammar", f"{issue.message}{fix}", issue.word_index, issue.word_count)
    for word in feedback.unclear.words:
        put("unsure", word.note, word.word_index, 1)
    return [tuple(m) for m in marks]


def transcript_html(feedback: Feedback) -> str:
    """The transcript with each marked span highlighted in place and its time shown."""
    words = feedback.transcript.words
    if not words:
        return '<p class="muted">Nothing was recognised.</p>'
    marks = word_marks(feedback)
    out: list[str] = []
    index = 0
    while index < len(words):
        group = marks[index]
        end = index + 1
        while end < len(words) and group and marks[end] == group:
            end += 1
        text = escape(" ".join(w.text for w in words[index:end]))
        if not group:
            out.append(text)
        else:
            kinds = sorted({m.kind for m in group})
            starting = [m for m in group if m.first == index]
            note = "; ".join(dict.fromkeys(m.note for m in group))
            stamp = (f'<span class="ts">{clock(words[index].start)}</span>'
                     if starting and any(m.kind != "unsure" for m in starting) else "")
            out.append(f'<mark class="w {" ".join(kinds)}" title="{escape(note)} · '
                       f'{clock(words[index].start)}">{text}</mark>{stamp}')
        index = end
    counts = {kind: 0 for kind in MARKS}
    for mark in {m for group in marks for m in group}:
        counts[mark.kind] += 1
    legend = "".join(f'<span class="key {kind}">{label} <b>{counts[kind]}</b></span>'
                     for kind, (label, _) in MARKS.items() if counts[kind])
    notes = "".join(f'<p class="muted small">Note: {escape(n)}</p>'
                    for n in feedback.transcript.notes)
    return (f'<div class="legend">{legend}</div>'
            f'<p class="transcript" data-testid="transcript">{" ".join(out)}</p>{notes}')


def figures(feedback: Feedback) -> dict:
    """The headline numbers of an attempt, kept to compare with the next attempt."""
    g, total = feedback.grammar, feedback.score.total
    comparable = total is not None and not feedback.score.partial
    return {"score": round(total) if comparable else None,
            "length_s": round(feedback.timing.length_s, 1),
            "wpm": round(feedback.timing.wpm), "fillers": feedback.fillers.total,
            "terms": len(feedback.coverage.covered), "terms_total": feedback.coverage.total,
            "grammar": len(g.issues) if g.checked else None}


def _delta(now: float | None, before: float | None, better: str) -> str:
    """'was 65 ▲7' coloured by whether the change is an improvement."""
    if before is None or now is None:
        return ""
    diff = now - before
    if abs(diff) < 0.5:
        return f'<span class="was same">was {before:g} ·  same</span>'
    good = (diff > 0) == (better == "up")
    arrow = "▲" if diff > 0 else "▼"
    return (f'<span class="was {"better" if good else "worse"}">was {before:g} '
            f'{arrow}{abs(diff):g}</span>')


ADVICE_HEADINGS = {1: "One thing to work on", 2: "Two things to work on",
                   3: "Three things to work on"}


def _stat(label: str, value: str, detail: str, tone: str, was: str, testid: str) -> str:
    return (f'<div class="stat {tone}" data-testid="{testid}"><div class="stat-label">{label}</div>'
            f'<div class="stat-value">{value}</div><div class="stat-detail">{detail}</div>'
            f'{was}</div>')


def summary_html(feedback: Feedback, previous: dict | None = None) -> str:
    """Score, the headline figures (beside the previous attempt's), the tips (up to three),
    and how the score is made: each part's weight, score and rule, as text."""
    f, t, fl, c = feedback, feedback.timing, feedback.fillers, feedback.coverage
    now, prev = figures(feedback), previous or {}
    over = t.ran_over
    stats = [
        _stat("Length", clock(t.length_s), escape(t.length_note),
              "bad" if over else "ok", _delta(now["length_s"], prev.get("length_s"), "none"),
              "stat-length"),
        _stat("Pace", f"{t.wpm:.0f}<small> wpm</small>",
              (f"{t.pace_verdict} · aim {t.pace_range.low:.0f}–{t.pace_range.high:.0f}"
               if t.judged else t.pace_verdict),
              "ok" if t.pace_verdict == "good" else "warn",
              _delta(now["wpm"], prev.get("wpm"), "none"), "stat-pace"),
        _stat("Fillers", f'<span data-testid="filler-count">{fl.total}</span>',
              f"{fl.per_minute:.1f} a minute · {fl.verdict}",
              {"good": "ok", "some": "warn"}.get(fl.verdict, "bad"),
              _delta(now["fillers"], prev.get("fillers"), "down"), "stat-fillers"),
        _stat("Key terms", f"{now['terms']}<small>/{c.total}</small>",
              f"{len(c.heard_as)} misheard · {len(c.missing)} missed" if c.total else "none set",
              "ok" if c.ratio >= 0.8 else "warn" if c.ratio >= 0.5 else "bad",
              _delta(now["terms"], prev.get("terms"), "up"), "stat-terms"),
    ]
    advice = "".join(f"<li>{escape(a)}</li>" for a in f.score.advice)
    total_weight = sum(p.weight for p in f.score.parts) or 1
    parts = "".join(
        f'<div class="part"><span class="part-name">{escape(p.name)} '
        f'<span class="part-weight">{100 * p.weight / total_weight:.0f}%</span></span>'
        f'<span class="part-bar"><span style="width:{p.score:.0f}%"></span></span>'
        f'<span class="part-score">{p.score:.0f}</span>'
        f'<span class="part-rule">{escape(p.rule)}</span></div>'
        for p in f.score.parts
    )
    parts = ('<p class="muted small">The score is the weighted mean of these parts: each '
             "part's share of the score, its score out of 100, and its rule.</p>" + parts
             if parts else "")
    heading = ADVICE_HEADINGS.get(len(f.score.advice), "Things to work on")
    was = _delta(now["score"], prev.get("score"), "up")
    compare = ('<p class="compare-note">Compared with your previous attempt at this question.</p>'
               if previous else "")
    return (f'<section class="card summary" data-testid="summary">'
            f'<div class="score-col">{_score_block(f)}{was}</div>'
            f'<div class="summary-main"><div class="stats">{"".join(stats)}</div>{compare}'
            f'<div class="advice"><h4>{heading}</h4><ol>{advice}</ol></div></div>'
            f'<details class="parts"><summary>How the score is made</summary>{parts}</details>'
            f"</section>")


def _score_block(feedback: Feedback) -> str:
    score = feedback.score
    if score.total is None:
        return ('<div class="score-none" data-testid="too-short"><b>Too short to judge</b>'
                '<span class="muted small">no score, not in your trends</span></div>')
    partial = ""
    if score.partial:
        partial = (f'<p class="muted small" data-testid="partial">Partial: '
                   f'{escape(", ".join(score.unmeasured))} not checked, so this score is not '
                   "compared with full ones.</p>")
    return score_ring(score.total) + partial


def _timing_card(feedback: Feedback) -> str:
    t, p, fl = feedback.timing, feedback.pauses, feedback.fillers
    first = (f"First key term after {t.first_key_term_s:.1f} s."
             if t.first_key_term_s is not None else "No key term said.")
    if p.long_pauses:
        pauses = "".join(
            f'<li><b>{x.duration:.1f} s</b> at {clock(x.start)}, '
            f'{"inside a clause" if x.where == "clause" else "between " + x.where + "s"} '
            f'<span class="muted">(after “{escape(x.after_word)}”)</span></li>'
            for x in p.long_pauses)
        pauses = f"<ul class='plain'>{pauses}</ul>"
    else:
        pauses = f'<p class="muted">No long pauses ({len(p.pauses)} short).</p>'
    counts = ", ".join(f"{escape(k)} ×{v}"
                       for k, v in sorted(fl.counts.items(), key=lambda kv: -kv[1]))
    points = [(x.start, x.wpm) for x in t.pace_over_time]
    return (f'<section class="card"><h3>Timing and pace</h3>'
            f'{length_bar(t.length_s, t.limit_s)}'
            f'<p class="small">{escape(t.length_note).capitalize()}. {first}</p>'
            f"{pace_chart(points, t.pace_range.low, t.pace_range.high, t.answer_s)}"
            f'<p class="chart-note">Words per minute, 5 s at a time. Shaded: your good range, '
            f"{t.pace_range.low:.0f}–{t.pace_range.high:.0f}.</p>"
            f'<div class="pair"><div><h4>Pauses</h4>{pauses}</div>'
            f'<div><h4>Fillers</h4><p class="small"><b>{fl.per_minute:.1f}</b> a minute, '
            f'{fl.per_100_words:.1f} per 100 words</p><p class="muted small">{counts or "none"}</p>'
            f"</div></div></section>")


def _terms_card(feedback: Feedback) -> str:
    c = feedback.coverage
    rows = [f'<li class="covered"><span class="icon">✓</span><b>{escape(h.term)}</b>'
            + (f' heard as “{escape(h.said_as)}”' if h.heard_differently else "")
            + f'<span class="muted"> at {clock(h.start)}</span></li>' for h in c.covered]
    rows += [f'<li class="heard"><span class="icon">≈</span><b>{escape(h.term)}</b> '
             f'heard as “{escape(h.heard)}” <span class="muted">at {clock(h.start)}</span></li>'
             for h in c.heard_as]
    rows += [f'<li class="missed"><span class="icon">✗</span><b>{escape(m)}</b>'
             f'<span class="muted"> {escape(c.partial_hint(m) or "not said")}</span></li>'
             for m in c.missing]
    body = (
        f'<ul class="checklist" data-testid="key-terms">{"".join(rows)}</ul>'
        if rows
        else '<p class="muted">This question has no key terms.</p>'
    )
    s = feedback.polished.structure
    steps = "".join(f'<span class="step {"have" if part in s.present else "lack"}">'
                    f'{escape(part)}</span>'
                    for part in s.expected)
    order = "" if s.order_ok else '<p class="muted small">The parts came out of order.</p>'
    return (f'<section class="card"><h3>Key terms</h3>{body}'
            f'<h4>Structure</h4><div class="steps">{steps}</div>{order}</section>')


def _language_card(feedback: Feedback) -> str:
    g = feedback.grammar
    if not g.checked:
        grammar = f'<p class="notice">Not checked: {escape(g.reason)}</p>'
    elif not g.issues:
        grammar = '<p class="good-note">No grammar issues found.</p>'
    else:
        grammar = "<ul class='issues'>" + "".join(
            f'<li><span class="said">{escape(i.words)}</span>'
            + (f' → <span class="fix">{escape(i.suggestion)}</span>' if i.suggestion else "")
            + f'<span class="muted small"> {clock(i.start)} · {escape(i.message)}</span></li>'
            for i in g.issues) + "</ul>"
    if g.note:
        grammar = f'<p class="notice">{escape(g.note)}</p>{grammar}'
    hints = feedback.pronunciation.hints
    unclear = feedback.unclear.words
    doubts = ("<h4>Unclear words</h4><p class='muted small'>Heard, but not clearly enough to "
              "correct: " + ", ".join(f"“{escape(w.text)}”"
                                      + (f" (maybe “{escape(w.guess)}”?)" if w.guess else "")
                                      for w in unclear) + ".</p>") if unclear else ""
    if hints:
        pron = (
            "<ul class='hints'>"
            + "".join(
                f"<li><b>{escape(h.word)}</b>"
                + (f' <span class="ipa">/{escape(h.ipa)}/</span>' if h.ipa else "")
                + f'<div class="small">{escape(h.respelling)}'
                + (f" · {escape(h.stress)}" if h.stress else "")
                + (f" · heard “{escape(h.heard)}”" if h.reason == "heard_as" else "")
                + f' <span class="muted">at {clock(h.start)}</span></div></li>'
                for h in hints
            )
            + "</ul>"
        )
    elif off := sum(len(w.flagged) for w in feedback.sounds.words if w.judged):
        # the words were heard right, but the sounds card below flags some: say both
        pron = ('<p class="muted" data-testid="pronunciation-words">Every key term you said '
                f'was recognised; {off} sound{"s" if off > 1 else ""} in them '
                f'{"are" if off > 1 else "is"} off: see “Sounds of key terms”.</p>')
    elif feedback.coverage.covered:
        pron = ('<p class="good-note" data-testid="pronunciation-words">Every key term you '
                'said came through clearly.</p>')
    else:
        pron = '<p class="muted">No key term was said, so there is nothing to check yet.</p>'
    state = "checked" if g.checked else "not-checked"
    return (f'<section class="card"><h3>Grammar</h3><div data-testid="grammar" data-state='
            f'"{state}" data-engine="{escape(g.engine)}">{grammar}</div>{doubts}'
            f'<h3>Pronunciation</h3>{pron}</section>')


def details_html(feedback: Feedback) -> str:
    """Transcript, then timing/pace, key terms, grammar and pronunciation cards."""
    return (f'<section class="card transcript-card"><h3>What you said</h3>'
            f"{transcript_html(feedback)}</section>"
            f'<div class="grid3">{_timing_card(feedback)}{_terms_card(feedback)}'
            f"{_language_card(feedback)}</div>")


def guide_html(words: tuple[GuideWord, ...]) -> str:
    """An answer with its reading guide: stressed words in bold, a slash where to pause;
    added words are marked as added and unclear words as unclear."""
    out = []
    for word in words:
        text = escape(word.text)
        if word.stress:
            text = f'<b class="stress">{text}</b>'
        if word.origin == "added":
            text = f'<ins title="added: a key term you missed">{text}</ins>'
        elif word.origin == "unclear":
            text = (f'<mark class="w unsure" title="unclear: kept as heard, left out of the '
                    f'audio">{text}</mark>')
        elif word.origin in ("heard", "fixed"):
            text = f'<span class="fixed" title="corrected">{text}</span>'
        out.append(text + (' <span class="pause" aria-hidden="true">/</span>'
                           if word.pause == "phrase" else ""))
    return " ".join(out)


def polished_html(feedback: Feedback) -> str:
    """The speaker's own answer, polished, with its reading guide, beside the model answer."""
    return (f'<div class="answers-pair"><div class="answer-yours">{_polished_block(feedback)}'
            f'</div><div class="answer-model">{model_answer_html(feedback)}</div></div>')


def _polished_block(feedback: Feedback) -> str:
    p = feedback.polished
    # ui/played_length.js puts the audio's own length in place of the estimate once it is there
    fits = (f'<span data-testid="polished-length">about {p.estimated_s:.0f} s at a comfortable '
            f'pace</span>' + ("" if p.fits else f", still longer than the {p.limit_s} s limit"))
    notes = []
    if p.added_terms:
        notes.append(f"Added the key terms you missed: {', '.join(p.added_terms)}.")
    if p.left_out:
        notes.append("Left out to fit the time: "
                     + "; ".join(text.rstrip(".!?") for text in p.left_out) + ".")
    if p.reordered:
        notes.append("Sentences moved into the expected order: "
                     f"{' → '.join(p.structure.expected)}.")
    if p.missing_parts and feedback.judged:
        notes.append(f"Still missing: {', '.join(p.missing_parts)} (see the model answer).")
    if p.unclear:
        notes.append("Unclear words are kept as heard and left out of the audio.")
    diff = " ".join(
        f"<del>{escape(d.text)}</del>" if d.op == "removed" else
        f"<ins>{escape(d.text)}</ins>" if d.op == "added" else escape(d.text) for d in p.diff)
    note_html = "".join(f'<p class="muted small">{escape(n)}</p>' for n in notes)
    return (f'<h3>Your answer, polished</h3>'
            f'<p class="polished guide" data-testid="polished">{guide_html(p.words)}</p>'
            f'<p class="muted small">{fits}. <b>Bold</b>: stress it; /: pause.</p>{note_html}'
            f'<details class="diff"><summary>What changed</summary>'
            f'<p class="diff-text"><span class="key removed">removed</span> '
            f'<span class="key added">added</span></p><p class="diff-text">{diff}</p></details>')


def model_answer_html(feedback: Feedback) -> str:
    """The scenario's model answer with its reading guide: a different answer, not yours."""
    m = feedback.model_answer
    if not m.text:
        return ""
    return (f'<h3>A model answer</h3><p class="polished guide model" data-testid="model-answer">'
            f'{guide_html(m.words)}</p><p class="muted small"><span data-testid="model-length">'
            f'about {m.estimated_s:.0f} s</span>. '
            "Another way to answer, to compare with yours.</p>")


def follow_ups_html(feedback: Feedback) -> str:
    items = "".join(f"<li>{escape(q.question)}</li>" for q in feedback.scenario.follow_ups)
    if not items:
        return ""
    return f'<h4>The interviewer might follow up with</h4><ul class="follow-ups">{items}</ul>'


MIC_ICON = (
    '<svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round"><rect x="9" y="3" width="6" height="11" '
    'rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3"/></svg>'
)


def error_html(message: str, hint: str = "") -> str:
    return (f'<div class="banner error" role="alert" data-testid="error"><b>{escape(message)}</b>'
            + (f"<br><span>{escape(hint)}</span>" if hint else "") + "</div>")


def waiting_html(attempt: int = 1, has_previous: bool = False) -> str:
    again = (" Your last figures will show beside the new ones." if has_previous else "")
    lead = f"Attempt {attempt}. " if attempt > 1 else ""
    return (f'<div class="placeholder"><div class="ph-icon">{MIC_ICON}</div>'
            f'<p><b>{lead}Record your '
            f"answer</b>, or upload a recording. Feedback appears here as soon as you stop."
            f'{again}</p><p class="small">Recordings up to 5 minutes; uploads up to 50 MB '
            f"(WAV, MP3, M4A, OGG, WebM, FLAC).</p></div>")
