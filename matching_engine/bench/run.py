"""`python -m matching_engine bench`: national-scale figures, printed side by side.

For each size: generate a seeded cohort (bench/generate.py, cached in the temp directory), solve
it end to end in a fresh process (read the JSON, parse, candidates, solve, explanations, write the
JSON result), timed, then again in another fresh process whose memory is sampled (reading every
process's page tables 20 times a second slows the run it measures: the time is the first run's),
then match the same candidate pairs with a greedy pass, deferred acceptance and an
independent exact solver (SciPy), and, up to 20,000 mentees, compute the optimum over every
feasible pair with no cut at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..candidates import generate as generate_candidates
from ..features import build_features
from ..parse import parse_instance
from ..solver import assign_optimal, assign_stable
from .baselines import greedy, independent_optimum
from .generate import generate

TARGETS = {  # (mentees, mentors): seconds, end to end (1,000 x 800: process start included)
    (1_000, 800): 0.3,
    (10_000, 8_000): 2.0,
    (100_000, 60_000): 30.0,
}
MEMORY_TARGET_MB = 3072  # at 100,000 x 60,000, every process counted (PSS)
FULL_GRAPH_UP_TO = 20_000  # mentees: beyond, the uncut graph no longer fits comfortably
REFERENCE_UP_TO = 15_000_000  # candidate pairs x seats per mentor, for SciPy's exact solver


def run(sizes: str, seed: int = 1, reference: bool = True) -> int:
    """Run the benchmark for comma-separated sizes like 1000x800; return an exit code."""
    try:
        pairs = [tuple(int(x) for x in size.lower().split("x")) for size in sizes.split(",")]
    except ValueError:
        print(f"error: sizes must look like 1000x800,10000x8000 (got {sizes!r})", file=sys.stderr)
        return 2
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Binôme matching engine benchmark — seed {seed}, {cores} cores, load average {load}")
    failures = 0
    for n_e, n_m in pairs:
        failures += _one(n_e, n_m, seed, reference)
    return 1 if failures else 0


def cohort(n_e: int, n_m: int, seed: int) -> Path:
    """Return the generated cohort's instance file, generated the first time (cached)."""
    folder = Path(tempfile.gettempdir()) / "binome-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"{n_e}x{n_m}-seed{seed}.json"
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(generate(n_e, n_m, seed)), encoding="utf-8")
        tmp.replace(path)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s (not timed below)")
    return path


def _one(n_e: int, n_m: int, seed: int, reference: bool) -> int:
    print(f"\n== {n_e:,} mentees x {n_m:,} mentors ==")
    path = cohort(n_e, n_m, seed)
    graph = path.with_name(f"{n_e}x{n_m}-seed{seed}-graph.npz")
    load = os.getloadavg()[0]
    report, launched = _solve_in_worker(path, graph, sample=False)
    memory = _solve_in_worker(path, graph, sample=True)[0] if report else None
    if report is None or memory is None:
        return 1
    t, st = report["timings"], report["stats"]
    phases = ", ".join(f"{k} {v:.2f}" for k, v in t.items() if k != "total")
    with_start = report["done_at"] - launched
    print(f"engine, end to end: {t['total']:.2f} s  ({phases})")
    print(
        f"  with process start (interpreter, imports): {with_start:.2f} s; CPU time of the run "
        f"{report['cpu']:.2f} s (all processes); load average {load:.1f} at the start"
    )
    # Pessimistic: a forked child's RSS counts the pages it shares with the main process. The
    # compiled scans run their parts in threads: no child then.
    forked = memory["parts"] - 1 if memory["part_peak_mb"] > 0 else 0
    worst = memory["peak_mb"] + forked * memory["part_peak_mb"]
    print(
        f"peak memory (a second run, {memory['timings']['total']:.2f} s with its memory sampled):"
        f" main process {memory['peak_mb']:.0f} MB RSS"
        + (
            f" + {forked} forked scanning process{'es' if forked > 1 else ''}"
            f" {memory['part_peak_mb']:.0f} MB RSS{' each' if forked > 1 else ''}"
            f" = at most {worst:.0f} MB"
            if forked
            else ""
        )
        + f"; sum of PSS (shared pages counted once, sampled every 50 ms)"
        f" {memory['pss_peak_mb']:.0f} MB; JSON result {report['output_mb']:.1f} MB"
    )
    print(
        f"feasible pairs {st['feasible_pairs']:,}; tested through the indexes "
        f"{st['tested_pairs']:,} of {n_e * n_m:,}; candidate lists {st['candidate_pairs']:,} "
        f"(cut: {st['cut']}); pairs added after {st['added_pairs']:,}; "
        f"optimal over: {st['optimal_over']}"
    )
    bound = st["upper_bound"]
    rows = [("engine (optimal)", st["matched"], st["total_score"], t["total"])]
    lists = st["lists_only"]
    if st["cut"]:
        rows.append(("  first lists only", lists["matched"], lists["total_score"], None))

    g = np.load(graph)
    e, m, score, capacity = g["e"], g["m"], g["score"], g["capacity"]
    # OR-Tools alone, on the final arcs the engine solved: what a perfect candidate generator,
    # pricing and explanation layer would still cost.
    started, cpu0 = time.perf_counter(), time.process_time()
    assign_optimal(e, m, score, int(e.max()) + 1 if e.size else 0, capacity)
    alone, alone_cpu = _since(started), time.process_time() - cpu0
    print(
        f"OR-Tools alone on the final {e.size:,} arcs: {alone:.2f} s ({alone_cpu:.2f} s CPU); "
        f"engine end to end = {t['total'] / max(alone, 1e-9):.1f} x that"
    )
    started = time.perf_counter()
    rows.append(("greedy, same candidates", *greedy(e, m, score, capacity), _since(started)))
    started = time.perf_counter()
    stable = assign_stable(e, m, score, int(e.max()) + 1 if e.size else 0, capacity)
    found = (int(stable.sum()), int(score[stable].sum()))
    rows.append(("deferred acceptance, same", *found, _since(started)))
    checks_ok = True
    if reference:
        expanded = int(capacity[m].astype(np.int64).sum())
        if expanded <= REFERENCE_UP_TO:
            started = time.perf_counter()
            ref = independent_optimum(e, m, score, capacity)
            rows.append(("SciPy LAPJVsp exact, same", *ref, _since(started)))
            same = ref == (int(g["chosen"].sum()), int(score[g["chosen"]].sum()))
            checks_ok &= same
        else:
            rows.append((f"SciPy exact skipped ({expanded:,} seat arcs)", None, None, None))
        if n_e <= FULL_GRAPH_UP_TO:
            started = time.perf_counter()
            full = _full_optimum(path)
            rows.append(("optimum over ALL feasible pairs", *full, _since(started)))
            checks_ok &= (full[0], full[1]) == (st["matched"], st["total_score"])
    print(f"upper bound min(mentees with a feasible mentor, free seats) = {bound:,}")
    print(f"{'':34} {'matched':>9} {'% bound':>8} {'total score':>12} {'seconds':>8}")
    for name, matched, total, seconds in rows:
        if matched is None:
            print(f"{name:34}")
            continue
        pct = 100.0 * matched / bound if bound else 100.0
        secs = f"{seconds:8.2f}" if seconds is not None else ""
        print(f"{name:34} {matched:>9,} {pct:>7.2f}% {total:>12,} {secs}")
    target = TARGETS.get((n_e, n_m))
    verdicts = []
    if target:
        timed = with_start if (n_e, n_m) == (1_000, 800) else t["total"]
        verdicts.append(f"time {'OK' if timed < target else 'MISSED'} (< {target:g} s)")
    if (n_e, n_m) == (100_000, 60_000):
        # Judged on what the run really holds (main peak, or summed PSS if larger); the sum of
        # RSS counts shared pages once per process, and is shown for the sceptical reader.
        peak = max(memory["pss_peak_mb"], memory["peak_mb"])
        ok = "OK" if peak < MEMORY_TARGET_MB else "MISSED"
        verdicts.append(
            f"memory {ok} (< {MEMORY_TARGET_MB / 1024:g} GB: {peak:.0f} MB; {worst:.0f} MB "
            "even counting shared pages once per process)"
        )
        certified = st["optimal_over"] == "all_feasible_pairs"
        verdicts.append(f"certified {'OK' if certified else 'MISSED'} (all feasible pairs)")
    if reference:
        verdicts.append(f"independent checks {'agree' if checks_ok else 'DISAGREE'}")
    print("verdict: " + "; ".join(verdicts))
    missed = any("MISSED" in v or "DISAGREE" in v for v in verdicts)
    return 1 if missed else 0


def _full_optimum(path: Path) -> tuple[int, int]:
    """Solve over every feasible pair, no cut, no pricing (same exact scores)."""
    with open(path, encoding="utf-8") as handle:
        instance = parse_instance(json.load(handle))
    features = build_features(instance)
    cands = generate_candidates(instance, features, cut=False)
    capacity = np.where(features.mentors.eligible, features.mentors.capacity, 0)
    chosen = assign_optimal(cands.e, cands.m, cands.score, features.mentees.n, capacity)
    return int(chosen.sum()), int(cands.score[chosen].astype(np.int64).sum())


def _solve_in_worker(
    path: Path, graph: Path, *, sample: bool
) -> tuple[dict[str, Any] | None, float]:
    """Solve the instance in a fresh process; return its report and when it was launched.

    `sample`: add the peak of its summed PSS (`pss_peak_mb`), sampled every 50 ms.
    """
    launched = time.time()
    with subprocess.Popen(
        [sys.executable, "-m", "matching_engine.bench.worker", str(path), str(graph)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as worker:
        pss_peak = _sample_pss(worker) if sample else 0.0
        out, err = worker.communicate()
    if worker.returncode != 0:
        print(err, file=sys.stderr)
        return None, launched
    report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    report["pss_peak_mb"] = pss_peak
    return report, launched


def _sample_pss(process: subprocess.Popen[str], interval: float = 0.05) -> float:
    """Return the peak of the summed PSS of a process and its children, in MB.

    Forked workers share the parent's pages; adding up their RSS counts those pages several
    times. PSS splits each shared page between the processes that map it.
    """
    peak = 0.0
    while process.poll() is None:
        pids = [process.pid, *_children(process.pid)]
        peak = max(peak, sum(_pss_mb(pid) for pid in pids))
        time.sleep(interval)
    return peak


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(x) for x in handle.read().split()]
    except OSError:
        return []


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _since(started: float) -> float:
    return time.perf_counter() - started
