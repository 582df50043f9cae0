"""Checking scenario files: every problem reported with the line of the file it is on.

Validation reports problems with the file's line numbers ("line 7: time_limit_s must be a whole
number of seconds, got '30s'") so a person editing a scenario can fix it without reading code.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from coach.analysis.terms import mentions
from coach.scenarios.model import DEFAULT_STRUCTURE, KINDS, MODULES

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_CLAUSE_WORDS = 16  # a clause goes into the speaker's own sentence: a few words, not a speech

_FIELD_TYPES = {
    "id": str,
    "title": str,
    "kind": str,
    "time_limit_s": int,
    "prompt": str,
    "module": str,
    "difficulty": str,
    "context": str,
    "reference_answer": str,
    "structure": list,
    "key_terms": list,
    "follow_ups": list,
}
REQUIRED_FIELDS = ("id", "title", "kind", "time_limit_s", "prompt", "key_terms")
_TYPE_NAMES = {str: "text in quotes", int: "a whole number", list: "a list"}


class _LineIndex:
    """Finds the line where a key or the n-th `[[table]]` is written, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def key(self, name: str, after: int = 0, before: int | None = None) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        stop = before if before is not None else len(self.lines)
        for number in range(after, stop):
            if pattern.match(self.lines[number]):
                return number + 1
        return None

    def tables(self, name: str) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        return [i + 1 for i, line in enumerate(self.lines) if pattern.match(line)]

    def next_table_line(self, after_line: int) -> int:
        for number in range(after_line, len(self.lines)):
            if self.lines[number].lstrip().startswith("["):
                return number + 1
        return len(self.lines) + 1


def _type_problem(name: str, value: object, expected: type, line: int | None) -> str | None:
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if ok:
        return None
    where = f"line {line}: " if line else ""
    return f"{where}{name} must be {_TYPE_NAMES[expected]}, got {value!r}"


def _check_entries(raw: dict, index: _LineIndex) -> list[str]:
    problems: list[str] = []
    for name, expected in _FIELD_TYPES.items():
        if name in raw:
            problem = _type_problem(name, raw[name], expected, index.key(name))
            if problem:
                problems.append(problem)
    for name in REQUIRED_FIELDS:
        if name not in raw:
            hint = "add at least one [[key_terms]] table" if name == "key_terms" else "add it"
            problems.append(f"line 1: missing required field '{name}' ({hint})")
    if isinstance(raw.get("id"), str) and not _ID_PATTERN.match(raw["id"]):
        problems.append(
            f"line {index.key('id')}: id {raw['id']!r} may use only lowercase letters, "
            "digits and hyphens"
        )
    if isinstance(raw.get("kind"), str) and raw["kind"] not in KINDS:
        problems.append(
            f"line {index.key('kind')}: kind must be one of {', '.join(KINDS)}, got {raw['kind']!r}"
        )
    if isinstance(raw.get("module"), str) and raw["module"] not in MODULES:
        problems.append(
            f"line {index.key('module')}: module must be one of {', '.join(MODULES)}, "
            f"got {raw['module']!r}"
        )
    limit = raw.get("time_limit_s")
    if isinstance(limit, int) and not isinstance(limit, bool) and not 5 <= limit <= 600:
        problems.append(
            f"line {index.key('time_limit_s')}: time_limit_s must be between 5 and 600, got {limit}"
        )
    kind = raw.get("kind")  # not text (e.g. a list): reported above, and no default structure
    default = DEFAULT_STRUCTURE.get(kind, ()) if isinstance(kind, str) else ()
    structure = raw.get("structure") or default
    structure = tuple(structure) if isinstance(structure, list | tuple) else ()
    problems += _check_key_terms(raw.get("key_terms"), index, structure)
    problems += _check_follow_ups(raw.get("follow_ups"), raw.get("key_terms"), index)
    return problems


def _check_key_terms(terms: object, index: _LineIndex, structure: tuple[str, ...] = ()
                     ) -> list[str]:
    if not isinstance(terms, list):
        return []
    problems: list[str] = []
    headers = index.tables("key_terms")
    if not terms:
        problems.append(f"line {index.key('key_terms') or 1}: key_terms is empty; add at least one")
    seen: set[str] = set()
    for number, entry in enumerate(terms):
        start = headers[number] if number < len(headers) else index.key("key_terms") or 1
        end = index.next_table_line(start)
        if not isinstance(entry, dict):
            problems.append(f"line {start}: each key term must be a table with a 'term'")
            continue
        term = entry.get("term")
        if not isinstance(term, str) or not term.strip():
            problems.append(f"line {start}: key term #{number + 1} needs term = \"...\"")
            continue
        if term.lower() in seen:
            problems.append(f"line {start}: key term {term!r} is listed twice")
        seen.add(term.lower())
        for name in ("aliases",):
            value = entry.get(name, [])
            if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                line = index.key(name, start - 1, end - 1) or start
                problems.append(f"line {line}: aliases of {term!r} must be a list of strings")
        for name in ("say_as", "respelling", "model_sentence", "clause", "part"):
            if name in entry and not isinstance(entry[name], str):
                line = index.key(name, start - 1, end - 1) or start
                problems.append(f"line {line}: {name} of {term!r} must be text in quotes")
        problems += _check_clause(entry, term, structure, index, start, end)
    return problems


def _check_clause(entry: dict, term: str, structure: tuple[str, ...], index: _LineIndex,
                  start: int, end: int) -> list[str]:
    """A clause must say its term in a few words; a part must be one of the answer's parts."""
    problems: list[str] = []
    clause, part = entry.get("clause"), entry.get("part")
    if isinstance(clause, str) and clause.strip():
        line = index.key("clause", start - 1, end - 1) or start
        if not mentions(clause, (term, *entry.get("aliases", []))):
            problems.append(f"line {line}: the clause of {term!r} must say the term itself")
        if len(clause.split()) > MAX_CLAUSE_WORDS:
            problems.append(f"line {line}: the clause of {term!r} has {len(clause.split())} "
                            f"words; keep it to {MAX_CLAUSE_WORDS}")
    if isinstance(part, str) and part and structure and part not in structure:
        line = index.key("part", start - 1, end - 1) or start
        problems.append(f"line {line}: part of {term!r} must be one of the answer's parts "
                        f"({', '.join(structure)}), got {part!r}")
    return problems


def _check_follow_ups(follow_ups: object, terms: object, index: _LineIndex) -> list[str]:
    if not isinstance(follow_ups, list):
        return []
    known = (
        {t.get("term") for t in terms if isinstance(t, dict)} if isinstance(terms, list) else set()
    )
    problems: list[str] = []
    headers = index.tables("follow_ups")
    for number, entry in enumerate(follow_ups):
        line = headers[number] if number < len(headers) else 1
        if not isinstance(entry, dict) or not isinstance(entry.get("question"), str):
            problems.append(f"line {line}: follow-up #{number + 1} needs question = \"...\"")
            continue
        for target in entry.get("targets", []):
            if target not in known:
                problems.append(
                    f"line {line}: follow-up target {target!r} "
                    "is not one of this scenario's key terms"
                )
    return problems


def validate_file(path: str | Path) -> list[str]:
    """Problems in one scenario file, each starting with 'line N:'; empty when it is valid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [f"line 1: cannot read the file ({error})"]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [_toml_error_message(error)]
    problems = _check_entries(raw, _LineIndex(text))
    if not problems and raw["id"] != path.stem:
        problems.append(
            f"line {_LineIndex(text).key('id')}: id {raw['id']!r} should match the file name "
            f"{path.stem!r}"
        )
    return problems


def _toml_error_message(error: tomllib.TOMLDecodeError) -> str:
    # tomllib puts "(at line L, column C)" at the end of its message; lead with the line instead.
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
    if match:
        return f"line {match.group(1)}: not valid TOML: {reason} (column {match.group(2)})"
    return f"line 1: not valid TOML: {reason}"


def validate_library(folder: str | Path) -> dict[str, list[str]]:
    """Problems per file for a whole folder, including ids used by two files."""
    folder = Path(folder)
    report: dict[str, list[str]] = {}
    first_seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        problems = validate_file(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            scenario_id = tomllib.loads(text).get("id")
        except tomllib.TOMLDecodeError:
            scenario_id = None
        if isinstance(scenario_id, str):
            if scenario_id in first_seen:
                problems.append(
                    f"line {_LineIndex(text).key('id')}: duplicate id {scenario_id!r} "
                    f"(also used by {first_seen[scenario_id].name})"
                )
            first_seen.setdefault(scenario_id, path)
        report[str(path)] = problems
    return report
