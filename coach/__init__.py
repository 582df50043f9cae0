"""coach: an offline voice mock-interview coach for infrastructure and SRE engineers.

    from coach import Coach
    feedback = Coach().analyze("answer.wav", "oom-silent-restart")
    print(feedback.to_dict()["timing"]["wpm"])
"""

__all__ = ["Coach", "Settings"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported on first use so `coach --help` and the pure analyses stay light.
    if name in __all__:
        from coach import coach as _coach

        return getattr(_coach, name)
    raise AttributeError(name)
