"""Practice history: every attempt kept (recording first), progress over time, exports.

    from coach.history import HistoryStore
    store = HistoryStore()                      # data_dir()/history.sqlite3 + recordings/
    attempt = store.save_recording("answer.wav", "oom-silent-restart")
    store.record_feedback(attempt.id, feedback)

Modules: `store` (the database), `migrations` (versioned schema), `records` (dataclasses),
`progress` (series and trend sentences, pure), `charts` (PNG with matplotlib),
`export` (Markdown / JSON reports, pure), `errors`.
"""

from coach.history.records import Attempt, Metrics, RoundRecord
from coach.history.store import HistoryStore

__all__ = ["Attempt", "HistoryStore", "Metrics", "RoundRecord"]
