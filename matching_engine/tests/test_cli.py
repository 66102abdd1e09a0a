"""The command line, run as a user would: a subprocess, JSON in, JSON out, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "marseille.json"
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching_engine", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        check=False,
    )


def test_solve_prints_the_result_as_json():
    done = run("solve", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"pairs", "unmatched", "stats"} <= set(result)
    first = result["pairs"][0]
    assert {"mentee", "mentor", "score", "criteria", "explanation", "explanation_parts"} <= set(
        first
    )
    assert result["stats"]["matched"] == len(result["pairs"])


def test_solve_reads_standard_input_and_accepts_the_stable_method():
    done = run("solve", "-", "--method", "stable", "--timings", stdin=EXAMPLE.read_text())
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["stats"]["method"] == "stable"
    assert "candidates" in result["timings"]


def test_candidates_prints_every_feasible_pair_with_its_breakdown():
    done = run("candidates", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    pairs = json.loads(done.stdout)["pairs"]
    assert [(p["mentee"], p["mentor"]) for p in pairs] == [("e1", "m1"), ("e2", "m2")]
    assert all(p["criteria"] and p["explanation"] for p in pairs)
    one = json.loads(run("candidates", str(EXAMPLE), "--mentee", "e1").stdout)["pairs"]
    assert [(p["mentee"], p["mentor"]) for p in one] == [("e1", "m1")]


def invalid(tmp_path, mutate) -> subprocess.CompletedProcess[str]:
    data = json.loads(EXAMPLE.read_text())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    return run("solve", str(path))


@pytest.mark.parametrize(
    ("mutate", "field", "pid"),
    [
        (lambda d: d["mentees"][0]["languages"].update(fr="B3"), "languages.fr", "e1"),
        (lambda d: d["mentors"][1].update(capacity=-1), "capacity", "m2"),
        (lambda d: d["mentees"][2].update(mode="by_pigeon"), "mode", "e3"),
        (lambda d: d["mentees"][1].update(availability=["monday"]), "availability", "e2"),
        (lambda d: d["mentors"][0].update(location=[123, 5]), "location", "m1"),
        (lambda d: d["mentees"][0].update(sector="22x"), "sector", "e1"),
        (lambda d: d["mentees"].append(dict(d["mentees"][0])), "id", "e1"),
        (lambda d: d.update(locked=[["e1", "m9"]]), "locked", "m9"),
        (lambda d: d["settings"].update(weights={"charm": 3}), "settings.weights.charm", None),
    ],
)
def test_an_invalid_instance_exits_2_naming_the_field_and_the_id(tmp_path, mutate, field, pid):
    done = invalid(tmp_path, mutate)
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"field {field!r}" in done.stderr
    if pid:
        assert f"id {pid!r}" in done.stderr


def test_a_file_that_is_not_json_exits_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    done = run("solve", str(path))
    assert done.returncode == 2 and "not valid JSON" in done.stderr


def test_bench_runs_a_small_size_and_prints_the_comparison():
    done = run("bench", "--sizes", "300x240", "--seed", "7")
    assert done.returncode == 0, done.stdout + done.stderr
    for text in ("engine, end to end", "greedy", "SciPy", "ALL feasible pairs", "upper bound"):
        assert text in done.stdout


def test_the_scan_bench_prints_pairs_per_second_for_both_jobs():
    pytest.importorskip("numba")
    done = subprocess.run(
        [sys.executable, "-m", "matching_engine.bench.scan", "--size", "300x240", "--repeat", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "indexed pairs" in done.stdout
    for job in ("collect", "pricing"):
        line = next(x for x in done.stdout.splitlines() if x.startswith(job))
        assert "M pairs per second on one core" in line
