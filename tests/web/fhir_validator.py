"""Runs the independent FHIR validator (tests/fhir_validator/validate.mjs, Node.js)
on exported bundles: the FHIR R4 JSON schema and the mCODE 4.0.0 profiles,
without the Python library that builds the bundles.

`make test` installs it (`make fhir-validator`); a test that needs it fails,
never skips, when it is missing.
"""

import atexit
import functools
import json
import select
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
    payload = {name: json.loads(b.model_dump_json()) if isinstance(b, Bundle) else b for name, b in bundles.items()}
    return _validator().validate(payload)


class _Validator:
    """One `node validate.mjs --serve` per test process: the FHIR definitions load once (about 2 s of CPU)."""

    def __init__(self) -> None:
        _check_installed()
        self.process = subprocess.Popen(
            ["node", "validate.mjs", "--serve"], cwd=VALIDATOR, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        atexit.register(self.stop)

    def validate(self, payload: dict) -> dict[str, dict]:
        self.process.stdin.write(json.dumps(payload) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            _validator.cache_clear()
            raise AssertionError(f"the FHIR validator failed to answer: {self.process.stderr.read()[-2000:]}")
        return json.loads(line)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


@functools.cache
def _validator() -> _Validator:
    return _Validator()


def assert_valid(bundles: dict[str, dict | Bundle]) -> dict[str, dict]:
    report = validate_bundles(bundles)
    failures = {name: result["errors"] for name, result in report.items() if result["errors"]}
    assert not failures, "bundles the FHIR validator rejects:\n" + json.dumps(failures, indent=1)
    assert set(report) == set(bundles)
    return report
