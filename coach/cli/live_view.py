"""`coach practice`: the live panel in the terminal while an answer is recorded.

The recorder calls `LiveView.update(elapsed, level)` about ten times a second (its progress
hook). The level meter is redrawn each time; the panel (coach/analysis/live.py over the
stream's `progress()` snapshot: nothing is decoded here) is worked out again once a second.
On a terminal the panel is redrawn in place (ANSI: cursor up, clear line); otherwise it is
printed when it changes, at most every PLAIN_EVERY_S.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

from coach.analysis.live import LivePanel, Nudge, live_panel, next_nudge
from coach.engines.transcription_stream import StreamProgress

METER_WIDTH = 20
NUDGE_SHOWN_S = 6.0
PLAIN_EVERY_S = 5.0


def _ticks(names, said) -> str:
    return "  ".join(f"{'✓' if n in said else '○'} {n}" for n in names)


def panel_lines(elapsed: float, level: float, panel: LivePanel | None, nudge: Nudge | None,
                progress: StreamProgress | None, limit_s: float) -> list[str]:
    """The panel as text lines (always the same number, so a redraw covers the last one)."""
    bars = round(level * METER_WIDTH)
    left = limit_s - elapsed
    clock = f"{left:.0f} s left" if left >= 0 else f"{-left:.0f} s over"
    lines = [f"  ● {elapsed:5.1f} s / {limit_s:.0f} s  "
             f"[{'█' * bars}{' ' * (METER_WIDTH - bars)}]  {clock}"]
    if panel is None:
        return [*lines, "  listening…", "", "", "", "", ""]
    pace = ("pace: listening…" if panel.recent_wpm is None else
            f"pace {panel.recent_wpm:.0f} wpm ({panel.pace}, aim {panel.pace_range.low:.0f}-"
            f"{panel.pace_range.high:.0f})")
    kinds = ", ".join(dict.fromkeys(f.text for f in panel.fillers))
    fillers = f"fillers {panel.filler_count}" + (f" ({kinds})" if kinds else "")
    behind = ""
    if progress is not None and progress.falling_behind:  # as in the app
        share = min(1.0, progress.decoded_s / max(progress.received_s, 1e-9))
        filled = round(share * 10)
        behind = (f"  catching up ({progress.backlog_s:.0f} s behind) "
                  f"[{'#' * filled}{'-' * (10 - filled)}]")
    return [*lines, f"  {pace} · {fillers}",
            f"  key terms: {_ticks([*panel.terms_said, *panel.terms_missing], panel.terms_said)}",
            f"  parts: {_ticks(panel.parts_expected, panel.parts_present)}",
            f"  heard: …{panel.last_words}" if panel.last_words else "  heard:",
            f"  » {nudge.text}" if nudge else "", behind]


class LiveView:
    """Draws the panel for one answer (see the module docstring)."""

    def __init__(self, terminal, scenario, settings, stream, *,  # stream: has progress()
                 clock: Callable[[], float] = time.monotonic, every_s: float = 1.0) -> None:
        self.terminal, self.scenario, self.settings = terminal, scenario, settings
        self.stream = stream
        self.clock, self.every_s = clock, every_s
        self.history: list[Nudge] = []
        self.panel: LivePanel | None = None
        self.progress: StreamProgress | None = None
        self._worked_at: float | None = None
        self._drawn = 0  # lines drawn last time (redrawn in place on a terminal)
        self._printed: tuple[str, float] | None = None

    def update(self, elapsed: float, level: float) -> None:
        now = self.clock()
        if self._worked_at is None or now - self._worked_at >= self.every_s:
            self._worked_at = now
            self.progress = progress = self.stream.progress()
            self.panel = live_panel(progress.words, elapsed, self.scenario, self.settings,
                                    heard_s=progress.decoded_s, confirmed_s=progress.decoded_s)
            nudge = next_nudge(self.history, self.panel, elapsed)
            if nudge is not None:
                self.history.append(nudge)
        shown = next((n for n in self.history[-1:] if elapsed - n.at_s < NUDGE_SHOWN_S), None)
        lines = panel_lines(elapsed, level, self.panel, shown, self.progress,
                            self.scenario.time_limit_s)
        self._draw(lines, now)

    def _draw(self, lines: list[str], now: float) -> None:
        out = self.terminal.stdout
        if self.terminal.colour:
            width = shutil.get_terminal_size((120, 40)).columns - 1
            up = f"\x1b[{self._drawn}F" if self._drawn else ""
            out.write(up + "".join(f"\x1b[2K{line[:width]}\n" for line in lines))
            out.flush()
            self._drawn = len(lines)
            return
        text = "\n".join(line for line in lines[1:] if line)  # without the meter
        if self._printed is None or (text != self._printed[0]
                                     and now - self._printed[1] >= PLAIN_EVERY_S):
            self._printed = (text, now)
            self.terminal.say(lines[0] + "\n" + text)
