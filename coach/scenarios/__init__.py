"""Scenarios: the records (`model`), the library of TOML files (`library`), their checks
(`validation`). The records are re-exported here; they are plain dataclasses with no imports.
"""

from coach.scenarios.model import DEFAULT_STRUCTURE, KINDS, MODULES, FollowUp, KeyTerm, Scenario

__all__ = ["DEFAULT_STRUCTURE", "KINDS", "MODULES", "FollowUp", "KeyTerm", "Scenario"]
