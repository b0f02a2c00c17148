"""`python -m regimens` through a real subprocess: the CLI contract v1."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.regimens.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "regimens", *args], input=stdin if isinstance(stdin, bytes) else stdin.encode(),
        capture_output=True, cwd=ROOT, timeout=60,
    )
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_recommend_file_prints_json():
    done = cli("recommend", str(FIXTURES / "refractory_ras_wt_ihc3.json"))
    assert done.returncode == 0 and done.stderr == ""
    result = json.loads(done.stdout)
    assert result["ruleset_version"] == "2026.2" and result["options"][0]["regimen"] == "tucatinib-trastuzumab"


def test_recommend_stdin():
    done = cli("recommend", "-", stdin=json.dumps({"her2": {"ihc": "2+"}}))
    assert done.returncode == 0
    assert json.loads(done.stdout)["recommendation"] == "complete_her2_testing"


def test_batch_bad_line_gets_error_object_and_batch_goes_on():
    lines = [json.dumps({"her2": {"ihc": "1+"}}), "{not json", json.dumps({"patient": {"weight_kg": 5}}),
             json.dumps({"her2": {"ihc": "3+"}, "ras": "wild_type"})]
    done = cli("recommend", "--batch", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["recommendation"] == "not_indicated"
    assert out[1]["line"] == 2 and out[1]["error"].startswith("input is not valid JSON")
    assert out[2] == {"line": 3, "error": "patient.weight_kg must be a number between 20 and 350",
                      "field": "patient.weight_kg"}
    assert out[3]["her2_status"] == "positive"


def test_batch_duplicate_key_names_the_key_and_the_batch_goes_on():
    lines = ['{"her2": {"ihc": "3+", "ihc": "1+"}}', json.dumps({"her2": {"ihc": "1+"}})]
    done = cli("recommend", "--batch", "-", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0] == {"line": 1, "error": "her2.ihc is given twice in one object; give each key once",
                      "field": "her2.ihc"}
    assert out[1]["her2_status"] == "negative"


def test_schema_prints_the_input_json_schema():
    done = cli("schema")
    assert done.returncode == 0
    assert "prior_therapies" in json.loads(done.stdout)["properties"]


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (
            ("recommend", "-"),
            '{"patient": {"weight_kg": 400}}',
            "error: patient.weight_kg must be a number between 20 and 350",
        ),
        (("recommend", "-"), "not json at all", "error: input is not valid JSON: Expecting value"),
        (("recommend", "-"), "[1, 2]", "error: input must be a JSON object"),
        (("recommend", "-"), '{"her2": {"ish": "amplified", "ish_ratio": 1.2}}', None),
        (("recommend", "-"), '{"ras": "wild_type", "ras": "mutant"}',
         "error: ras is given twice in one object; give each key once"),
        (("recommend", "-"), '{"patient": {"weight_kg": 70, "sex": "female", "weight_kg": 60}}',
         "error: patient.weight_kg is given twice in one object; give each key once"),
        (("recommend", "-"), '{"patient": {"age": ' + "9" * 5000 + "}}",
         "error: patient.age is a number 5000 digits long; patient.age must be a whole number of years (0 or more) "
         "or null"),
        (("recommend", "-"), '{"lvef_percent": -' + "1" * 4400 + "}",
         "error: lvef_percent is a number 4400 digits long; lvef_percent must be a number between 5 and 90"),
        (("recommend", "-"), '{"patient": {"sex": "male", "pregnant": true}}',
         "error: patient.pregnant is true but patient.sex is male; correct one of them"),
        (("recommend", "-"), '{"her2": {"ngs_erbb2_amplified": true, "ngs_copy_number": 1}}',
         "error: her2.ngs_copy_number 1 is below the normal 2 copies but her2.ngs_erbb2_amplified is true; correct "
         "one of them"),
        (("recommend", "-"), b'{"ras": "\xc3\x28"}', "error: input is not valid JSON: not UTF-8 text"),
        (("recommend", "/no/such/case.json"), "", "error: cannot read /no/such/case.json: No such file or directory"),
        (("recommend",), "", None),
        (("recommend", "-", "--batch", "-"), "{}", None),
        (("frobnicate",), "", None),
    ],
)
def test_invalid_input_exit_2_with_one_stderr_line(args, stdin, message):
    done = cli(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in done.stderr
    if message:
        assert lines[0] == message
