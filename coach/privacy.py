"""Nothing leaves the machine: every dependency's telemetry and analytics switched off, early.

Several libraries under coach report usage on their own unless told not to:
- onnxruntime (Silero VAD in faster-whisper, the Piper voice) looks up
  mobile.events.data.microsoft.com and queues events (device id, OS, CPU) in
  ~/.cache/Microsoft/DeveloperTools/.onnxruntime/; its switch is read when it is imported.
- gradio (the app) sends usage events and a version check to api.gradio.app; gradio_client too.
- huggingface_hub (imported by faster-whisper and gradio) sends usage pings; it reads its
  switches once, when it is imported.
- OpenTelemetry (FastAPI, under gradio) exports only when configured; disabled all the same.
DO_NOT_TRACK is the common convention (https://donottrack.sh) that other tools honour.

`turn_off_telemetry()` runs from `coach/__init__.py`: every way into coach (the `coach`
command, the app, `import coach` in a script) imports that package before any of its modules,
and coach imports those libraries lazily, so the switches are set before any of them loads.
The values are forced, not defaults: the product promises no telemetry whatever the shell says.
"""

from __future__ import annotations

import os
import sys

TELEMETRY_OFF = {
    "ORT_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "OTEL_SDK_DISABLED": "true",
}


def turn_off_telemetry() -> None:
    """Set every switch; also tell an onnxruntime that was imported before coach."""
    os.environ.update(TELEMETRY_OFF)
    onnxruntime = sys.modules.get("onnxruntime")
    if onnxruntime is not None and hasattr(onnxruntime, "disable_telemetry_events"):
        onnxruntime.disable_telemetry_events()
