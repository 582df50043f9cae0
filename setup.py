"""The one build step pyproject.toml cannot express: the scenario library inside the wheel.

The library is edited and validated in the top-level scenarios/ folder. A normal install
(`pip install .`, pipx, `uv tool install .`) copies it into the package as
coach/scenario_library/, where `coach.config.scenarios_dir()` finds it; an editable install
reads scenarios/ in the checkout directly.

The app lives in the top-level ui/ folder but is installed as `coach.ui` (package_dir), so no
top-level package named `ui` is installed beside other projects' packages.
Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithScenarios(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "coach" / "scenario_library"
        target.mkdir(parents=True, exist_ok=True)
        for scenario in sorted((HERE / "scenarios").glob("*.toml")):
            shutil.copyfile(scenario, target / scenario.name)


setup(
    cmdclass={"build_py": BuildWithScenarios},
    packages=[*find_packages(include=["coach", "coach.*"]), "coach.ui"],
    package_dir={"coach.ui": "ui"},
)
