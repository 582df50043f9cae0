"""Does the live panel's "no fillers for 10 s, good" ever praise a stretch the feedback then
finds a filler in?

    .venv/bin/python benchmarks/live_praise.py [FIXTURE_ID ...]

Each answer with fillers (audio_fixtures/, synthetic, three fillers or more) is fed to a stream
in real time with its live captions, as the app does; once a second the panel and its nudge are
worked out twice: by the shipped rule (praise only over the final decoding's words,
`confirmed_s`) and by the earlier one (over the captions' words too). A praise is contradicted
when the final transcript has a filler in the stretch it praised. Measured 2026-12-07: in a
first run over six answers the earlier rule praised once, over 10.7-23.0 s of
retry-us180-fillers, where the final transcript has "actually"; the shipped rule gave no
praise. Two later runs over all seven answers: no praise from either rule. These answers have a
filler every few seconds, and whether the captions' words make 10 s without one depends on
when each caption lands: rare, and timing-dependent, which is why it is a rule and not a test.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks.fixture_truth import load_fixtures
from coach import Coach, Settings
from coach.analysis.fillers import analyze_fillers
from coach.analysis.live import live_panel, next_nudge
from coach.audio.decode import SAMPLE_RATE, load_audio
from coach.engines.live_captions import with_captions

BLOCK = SAMPLE_RATE // 10  # 0.1 s, as the page sends


def main() -> int:
    coach = Coach(Settings(check_grammar=False, check_sounds=False))
    settings = Settings()
    fixtures = {f.id: f for f in load_fixtures()}
    chosen = sys.argv[1:] or [f.id for f in fixtures.values()
                              if f.source == "synthetic" and f.scenario and len(f.fillers) >= 3]
    totals = {"shipped": [0, 0], "captions too": [0, 0]}
    for fixture_id in chosen:
        fixture = fixtures[fixture_id]
        scenario = coach.library.get(fixture.scenario)
        samples = load_audio(fixture.path).samples
        samples = np.concatenate([samples, np.zeros(SAMPLE_RATE, np.float32)])
        stream = coach.open_stream(scenario)
        captions = coach.caption_while_streaming(stream, scenario)
        ticks, started = [], time.perf_counter()
        for i in range(0, len(samples), BLOCK):
            while time.perf_counter() < started + i / SAMPLE_RATE:
                time.sleep(0.005)
            stream.feed(samples[i:i + BLOCK], SAMPLE_RATE)
            if i % SAMPLE_RATE == 0:
                progress = stream.progress()
                ticks.append((i / SAMPLE_RATE, with_captions(progress, captions.words)
                              if captions else progress))
        if captions:
            captions.stop()
        transcript = stream.finish()
        final = analyze_fillers(transcript, transcript.duration_s / 60, settings.fillers).items
        for rule in totals:
            history = []
            for now, progress in ticks:
                confirmed = progress.decoded_s if rule == "shipped" else None
                panel = live_panel(progress.words, now, scenario, settings,
                                   heard_s=progress.decoded_s, confirmed_s=confirmed)
                nudge = next_nudge(history, panel, now)
                if nudge is None:
                    continue
                history.append(nudge)
                if nudge.kind != "no_fillers":
                    continue
                since, end = panel.clean_since_s or 0.0, panel.confirmed_s or panel.heard_s
                found = [f.text for f in final if since <= f.start < end]
                totals[rule][0] += 1
                totals[rule][1] += bool(found)
                print(f"{fixture_id} ({rule}): at {now:.0f} s \"{nudge.text}\" over "
                      f"{since:.1f}-{end:.1f} s; the feedback's fillers there: {found or 'none'}")
    for rule, (praised, contradicted) in totals.items():
        print(f"{rule}: {praised} praises, {contradicted} contradicted by the feedback")
    return 0


if __name__ == "__main__":
    sys.exit(main())
