"""The apps are layered: each imports only the apps below it, so no two apps import each other.

An app below tells the apps above it what happened through a signal (cases' `case_data_saved`), and a page of
a lower app shows a higher app's part through that app's template tag: neither is an import.
"""

import ast
from pathlib import Path

HER2APP = Path(__file__).resolve().parents[2] / "her2app"
# Top to bottom; an app may import the apps of the layers below its own.
LAYERS = (
    ("demo", "backup"),
    ("audit",),  # the case history reads the records of every app
    ("meetings", "interop", "recheck"),
    ("administration",),
    ("monitoring",),
    ("plans",),
    ("cases",),
    ("rendering",),
    ("accounts",),
)
RANK = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}


def imported_apps(path: Path) -> set[str]:
    """The her2app apps a module imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        found |= {module.split(".")[1] for module in modules if module.startswith("her2app.") and "." in module}
    return found


def test_every_app_is_in_a_layer():
    apps = {path.parent.name for path in HER2APP.glob("*/apps.py")}
    assert apps == set(RANK), "a new app needs its place in LAYERS"


def test_apps_import_only_the_apps_below_them():
    upward = []
    for path in HER2APP.glob("*/**/*.py"):
        app = path.relative_to(HER2APP).parts[0]
        if app not in RANK or "migrations" in path.parts:
            continue
        upward += [f"{path.relative_to(HER2APP)} imports {other}" for other in imported_apps(path) - {app}
                   if other in RANK and RANK[other] <= RANK[app]]
    assert upward == [], upward
