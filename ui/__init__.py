"""The Gradio practice app (`coach serve`). Only presentation lives here; the work is in `coach`."""

import coach  # noqa: F401 - turns telemetry off (coach.privacy) before any ui module loads gradio
