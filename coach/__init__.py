"""coach: an offline voice mock-interview coach for infrastructure and SRE engineers.

    from coach import Coach
    feedback = Coach().analyze("answer.wav", "oom-silent-restart")
    print(feedback.to_dict()["timing"]["wpm"])
"""

from coach.numeric_paths import pin_numeric_paths
from coach.privacy import turn_off_telemetry

turn_off_telemetry()  # before anything below can load onnxruntime, gradio or huggingface_hub
pin_numeric_paths()  # before ctranslate2 first runs

__all__ = ["Coach", "Settings"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported on first use so `coach --help` and the pure analyses stay light.
    if name == "Coach":
        from coach.coach import Coach

        return Coach
    if name == "Settings":
        from coach.settings import Settings

        return Settings
    raise AttributeError(name)
