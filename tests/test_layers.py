"""The layers contract (pyproject.toml, `make lint`) bites: portal, the ground floor, may not
import the oversight app, and neither may the domain apps; the untouched tree keeps it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["portal", "complaints", "education", "desa_migran", "oversight"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _tree_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "src"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return copy


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, check=False
    )


def test_the_untouched_tree_keeps_the_layers_contract(tmp_path):
    # given
    tree = _tree_copy(tmp_path)

    # when
    result = _lint_imports(tree)

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module", ["portal/selectors.py", "complaints/selectors.py"])
def test_an_import_of_the_oversight_app_from_below_breaks_the_contract(tmp_path, module):
    # given: a lower layer that reaches up
    tree = _tree_copy(tmp_path)
    path = tree / module
    path.write_text(path.read_text() + "\nimport oversight  # noqa: E402, F401\n")

    # when
    result = _lint_imports(tree)

    # then
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"{module.removesuffix('.py').replace('/', '.')} -> oversight" in result.stdout
