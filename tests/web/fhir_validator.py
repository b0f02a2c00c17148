"""Runs the independent FHIR validator (tests/fhir_validator/validate.mjs, Node.js)
on exported bundles: the FHIR R4 JSON schema and the mCODE 4.0.0 profiles,
without the Python library that builds the bundles.

`make test` installs it (`make fhir-validator`); a test that needs it fails,
never skips, when it is missing.
"""

import json
import shutil
import subprocess
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

VALIDATOR = Path(__file__).resolve().parent.parent / "fhir_validator"
TIMEOUT_SECONDS = 300


def _check_installed() -> None:
    ready = (VALIDATOR / "node_modules" / ".installed").exists() and any((VALIDATOR / "ig").glob("*/package"))
    if shutil.which("node") is None or not ready:
        raise AssertionError(f"the FHIR validator is not installed: run `make fhir-validator` ({VALIDATOR})")


def validate_bundles(bundles: dict[str, dict | Bundle]) -> dict[str, dict]:
    """{name: {"errors": [...], "notes": [...]}} for each bundle."""
    _check_installed()
    payload = {name: json.loads(b.model_dump_json()) if isinstance(b, Bundle) else b for name, b in bundles.items()}
    result = subprocess.run(
        ["node", "validate.mjs"], cwd=VALIDATOR, input=json.dumps(payload), capture_output=True, text=True,
        timeout=TIMEOUT_SECONDS, check=False,
    )
    if result.returncode not in (0, 1):
        raise AssertionError(f"the FHIR validator failed to run: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def assert_valid(bundles: dict[str, dict | Bundle]) -> dict[str, dict]:
    report = validate_bundles(bundles)
    failures = {name: result["errors"] for name, result in report.items() if result["errors"]}
    assert not failures, "bundles the FHIR validator rejects:\n" + json.dumps(failures, indent=1)
    assert set(report) == set(bundles)
    return report
