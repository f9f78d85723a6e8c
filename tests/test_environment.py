"""pyproject.toml and environment.yml list the same packages with the same versions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NOT_PACKAGES = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    name = re.sub(r"[-_.]+", "-", name).lower()
    spec = re.sub(r"(?<![<>=!])=(?!=)", "==", spec.replace(" ", ""))  # conda "=8.1.*"
    return name, ",".join(sorted(spec.split(","))) if spec else ""


def pyproject_packages() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # environment.yml is the students' environment: runtime and test packages; the
    # instructor extra (nbgrader) is installed on top by those who grade.
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    # Requirements with an environment marker only apply to other Pythons than Binder's.
    return dict(_split(r) for r in requirements if ";" not in r)


def conda_packages() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    packages = dict(
        _split(entry) for entry in environment["dependencies"] if isinstance(entry, str)
    )
    return {name: spec for name, spec in packages.items() if name not in NOT_PACKAGES}


def test_same_packages_and_versions() -> None:
    assert conda_packages() == pyproject_packages()


def test_environment_installs_the_course_package() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [e["pip"] for e in environment["dependencies"] if isinstance(e, dict)]
    # A regular install, not an editable one: only a wheel installs the kernel configuration
    # (pyproject's data-files) that loads postsoviet.kernel_hints.
    assert pip_sections == [["."]]


def test_a_wheel_installs_the_kernel_configuration() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["data-files"] == {
        "etc/ipython": ["jupyter-config/ipython_kernel_config.json"]
    }
    assert (ROOT / "jupyter-config" / "ipython_kernel_config.json").is_file()


def test_the_comparison_notices_a_difference() -> None:
    assert _split("ipywidgets=8.1.*") == _split("ipywidgets==8.1.*")
    assert _split("pandas>=2.2,<4") == _split("pandas <4, >=2.2")
    assert _split("nbval=0.11.*") != _split("nbval==0.10.*")
    assert _split("jupyterlab_widgets==3.0.*")[0] == "jupyterlab-widgets"
