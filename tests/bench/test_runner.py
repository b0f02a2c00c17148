"""The `make bench` runner: one table, a JSON record, and an exit status that
fails on a crashed benchmark module but not on a missed goal."""

import json

import pytest

from tests.bench import __main__ as runner
from tests.bench.common import format_table, percentile, row, write_results


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_table_marks_missed_goals_and_leaves_plain_figures_unmarked():
    table = format_table([row("pages: list / floor", 0.2, "x floor", ">= 0.33", False),
                          row("pages: list p50", 12.5, "ms")])
    missed_line, figure_line = table.splitlines()[2:4]
    assert "MISSED" in missed_line
    assert "MISSED" not in figure_line and " ok " not in figure_line


def test_results_file_and_latest_copy(tmp_path):
    path = write_results([row("x", 1.0, "s", "< 2 s", True)], quick=True, directory=tmp_path)
    record = json.loads(path.read_text())
    assert record["rows"][0]["benchmark"] == "x" and record["quick"] is True
    assert (tmp_path / "latest.json").read_text() == path.read_text()


@pytest.fixture
def fake_modules(monkeypatch):
    written = {}
    outcomes = {"bench_good": [row("good", 1.0, "s", "< 0.5 s", False)], "bench_broken": RuntimeError("boom")}

    def run_module(name, quick):
        outcome = outcomes[name]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(runner, "discover", lambda only=None: [n for n in outcomes if not only or n[6:] in only])
    monkeypatch.setattr(runner, "run_module", run_module)
    monkeypatch.setattr(runner, "write_results", lambda rows, **kw: written.update(rows=rows, **kw) or "x.json")
    return written


def test_a_missed_goal_is_printed_but_does_not_fail_the_run(fake_modules, capsys):
    assert runner.main(["--only", "good"]) == 0
    assert "MISSED goals (1): good" in capsys.readouterr().out


def test_a_crashed_module_fails_the_run_after_the_others_are_reported(fake_modules, capsys):
    assert runner.main([]) == 1
    out = capsys.readouterr().out
    assert "CRASHED: RuntimeError: boom" in out and "good" in out
    assert fake_modules["crashed"] == ["bench_broken"]
