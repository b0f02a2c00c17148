"""The engine stays pure: no Django, and no dose or threshold literal outside the catalogue."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "regimens"
LOGIC_MODULES = (
    "rules.py", "doses.py", "schedule.py", "safety.py", "her2.py", "engine.py", "monitoring.py",
    "measurements.py", "lvef.py", "reflow.py", "reductions.py", "readiness.py",
)
ALLOWED_NUMBERS = {0, 1, 2}


def test_importing_regimens_does_not_import_django():
    code = (
        "import sys, regimens, regimens.cli, regimens.schedule, regimens.doses, regimens.lvef, regimens.reflow, "
        "regimens.reductions, regimens.readiness; print('django' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=True)
    assert done.stdout.strip() == "False"


def test_no_module_in_regimens_mentions_a_django_import():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "django" for name in names), f"{path.name} imports django"


def _numeric_literals(path: Path) -> list[tuple[int, object]]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value not in ALLOWED_NUMBERS:
            found.append((node.lineno, node.value))
    return found


def test_no_numeric_dose_or_threshold_literal_outside_the_catalogue():
    offenders = {name: _numeric_literals(PACKAGE / name) for name in LOGIC_MODULES}
    offenders = {name: found for name, found in offenders.items() if found}
    assert offenders == {}, f"numeric literals belong in regimens/catalogue.py: {offenders}"
