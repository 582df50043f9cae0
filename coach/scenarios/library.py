"""The scenario library: TOML files in `scenarios/`, loaded into `Scenario` records.

A file is validated (`coach.scenarios.validation`) before it is built; an invalid one raises
`ScenarioInvalid` with every problem and its line.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from coach.errors import ScenarioInvalid, ScenarioNotFound
from coach.paths import file_problem
from coach.scenarios.model import MODULES, FollowUp, KeyTerm, Scenario
from coach.scenarios.validation import validate_file
from coach.settings import scenarios_dir


def _build(raw: dict, path: Path) -> Scenario:
    terms = tuple(
        KeyTerm(
            term=t["term"].strip(),
            aliases=tuple(a.strip() for a in t.get("aliases", []) if a.strip()),
            say_as=t.get("say_as", ""),
            respelling=t.get("respelling", ""),
            model_sentence=t.get("model_sentence", "").strip(),
            clause=" ".join(t.get("clause", "").split()),
            part=t.get("part", "").strip(),
        )
        for t in raw["key_terms"]
    )
    follow_ups = tuple(
        FollowUp(question=f["question"].strip(), targets=tuple(f.get("targets", [])))
        for f in raw.get("follow_ups", [])
    )
    return Scenario(
        id=raw["id"],
        title=raw["title"].strip(),
        kind=raw["kind"],
        time_limit_s=raw["time_limit_s"],
        prompt=" ".join(raw["prompt"].split()),
        key_terms=terms,
        module=raw.get("module", ""),
        difficulty=raw.get("difficulty", "core"),
        context=raw.get("context", "").strip(),
        reference_answer=" ".join(raw.get("reference_answer", "").split()),
        structure=tuple(raw.get("structure", ())),
        follow_ups=follow_ups,
        source_path=str(path),
    )


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    problems = validate_file(path)
    if problems:
        raise ScenarioInvalid(str(path), problems)
    return _build(tomllib.loads(path.read_text(encoding="utf-8")), path)


class ScenarioLibrary:
    """All scenarios of a folder, by id. Invalid files raise `ScenarioInvalid` at load time."""

    def __init__(self, scenarios: list[Scenario], folder: Path | None = None) -> None:
        self.folder = folder  # where the scenarios were loaded from (None: given in memory)
        self._by_id: dict[str, Scenario] = {}
        for scenario in scenarios:
            if scenario.id in self._by_id:
                raise ScenarioInvalid(
                    scenario.source_path,
                    [
                        f"duplicate id {scenario.id!r} "
                        f"(also in {self._by_id[scenario.id].source_path})"
                    ],
                )
            self._by_id[scenario.id] = scenario

    @classmethod
    def load(cls, folder: str | Path | None = None) -> ScenarioLibrary:
        folder = Path(folder) if folder else scenarios_dir()
        return cls([load_scenario(p) for p in sorted(folder.glob("*.toml"))], folder)

    def folder_problem(self) -> str:
        """Why this library has no scenarios at all ("" if it has some, or was not loaded from
        a folder): the folder does not exist, is not a folder, or holds no scenario file."""
        if self._by_id or self.folder is None:
            return ""
        where = f"the scenario folder {self.folder}"
        if os.environ.get("COACH_SCENARIOS_DIR"):
            where += " (COACH_SCENARIOS_DIR)"
        if not self.folder.exists():
            return f"{where} does not exist."
        if not self.folder.is_dir():
            return f"{where} is not a folder."
        return f"{where} has no scenarios (no .toml file)."

    def __iter__(self):
        def order(scenario: Scenario) -> tuple[int, str]:
            module = scenario.module
            return (MODULES.index(module) if module in MODULES else len(MODULES), scenario.id)

        return iter(sorted(self._by_id.values(), key=order))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, scenario_id: str) -> Scenario:
        try:
            return self._by_id[scenario_id]
        except KeyError:
            empty = self.folder_problem()
            if empty:
                raise ScenarioNotFound(
                    f"No scenario with id {scenario_id!r}: {empty}",
                    hint="Set COACH_SCENARIOS_DIR to a folder of scenario files, or unset it "
                         "to use the scenarios that come with coach.") from None
            close = [i for i in self._by_id if scenario_id.lower() in i]
            hint = (
                f"Did you mean: {', '.join(close[:3])}?"
                if close
                else "Run 'coach scenarios' to list them."
            )
            raise ScenarioNotFound(f"No scenario with id {scenario_id!r}.", hint=hint) from None

    def resolve(self, id_or_path: str) -> Scenario:
        """A scenario by id, or a scenario file by path."""
        candidate = Path(id_or_path)
        if candidate.suffix == ".toml" or candidate.is_file():
            problem = file_problem(candidate, "scenario file")
            if problem:
                raise ScenarioNotFound(problem)
            return load_scenario(candidate)
        return self.get(id_or_path)
