"""Pure analyses: transcript (+ scenario, + options) in, a report dataclass out. No I/O here."""
