"""`python -m matching_engine.bench.scan`: how many pairs per second the compiled scan tests.

The issue's figure is per core, so this runs the scan in one process, on one part (every mentee),
block by block as candidates.generate and price_pairs do:
- collect: the hard tests and score of every indexed pair, each person's best lists (heaps of
  the instance's list lengths, candidates.list_lengths), the close pairs of two "either" people;
- pricing: the same pairs against potentials, keeping each person's best pairs by margin. The
  potentials are each mentee's bar from collect (the score of her last listed mentor) and 0 for
  mentors, so that, as in a real pricing round, few pairs pass.

Both again with the store (candidates._Store): collect writing each pair's score in it, pricing
reading them there instead of computing them.

Each job runs `--repeat` times; the best time is printed with the median, and the machine's load.
The kernel is loaded (or compiled, the first time) before any timing.

    python -m matching_engine.bench.scan --size 40000x24000 --seed 7
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import time

import numpy as np

from ..features import build_features
from ..parse import parse_instance
from .run import cohort


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching_engine.bench.scan")
    parser.add_argument("--size", default="40000x24000", help="mentees x mentors (generated)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generator")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each job")
    args = parser.parse_args(argv)
    n_e, n_m = (int(x) for x in args.size.lower().split("x"))
    # The module, not the function of the same name that the package exports.
    candidates = importlib.import_module("matching_engine.candidates")
    instance = parse_instance(json.loads(cohort(n_e, n_m, args.seed).read_text("utf-8")))
    features = build_features(instance)
    compiled = candidates._compiled_args(features)
    if compiled is None:
        print("the compiled kernel cannot load here (numba missing?): nothing to measure")
        return 1
    from .. import kernel

    mine = np.ones(features.mentees.n, bool)
    blocks = [(True, b) for b in candidates._spatial_blocks(features, mine)]
    blocks += [(False, b) for b in candidates._remote_blocks(features, mine)]
    pairs = sum(rows.size * cols.size for _, (rows, cols) in blocks)
    forbidden = candidates._forbidden_csr(instance, features.mentees.n, features.mentors.n)
    no_close = (np.zeros(1, np.intp), np.zeros(0, np.int64))
    none = np.zeros(0, np.float64)
    settings = instance.settings

    # The store pricing reads (candidates._Store): each block's bytes, rows in the scan's order.
    ordered = [compiled.rows(rows) for _, (rows, _) in blocks]
    every = [np.arange(rows.size) for rows in ordered]
    offsets = np.cumsum([0] + [rows.size * cols.size for _, (rows, cols) in blocks])
    store = candidates._small_pages(max(pairs, 1))
    empty = np.zeros(0, np.int64)

    def scan(
        job: int, alpha: np.ndarray, beta: np.ndarray, stored: bool
    ) -> tuple[float, np.ndarray]:
        k_e, k_m = (
            candidates.list_lengths(settings, features.mentees.n, features.mentors.n)
            if job == 0
            else (candidates.PRICE_MENTEE, candidates.PRICE_MENTOR)
        )
        row_heap = np.full((features.mentees.n, k_e), -1, np.int64)
        col_heap = np.full((features.mentors.n, k_m), -1, np.int64)
        row_bar = np.full(features.mentees.n, -1, np.int64)
        col_bar = np.full(features.mentors.n, -1, np.int64)
        started = time.perf_counter()
        for b, (spatial, (_, cols)) in enumerate(blocks):
            if job == 1 and stored:
                kernel.price_stored(
                    *(store, offsets[b], ordered[b], cols.astype(np.int64), every[b], empty, empty),
                    *(alpha, beta, np.float32(0), row_heap, col_heap, row_bar, col_bar),
                )
                continue
            kernel.scan(
                ordered[b],
                cols.astype(np.int64),
                spatial,
                features.mentors.n,
                *compiled.hard,
                *forbidden,
                *no_close,
                *compiled.score,
                job,
                row_heap,
                col_heap,
                row_bar,
                col_bar,
                0,  # keep no list of every pair: the budget is spent at 100,000 anyway
                alpha,
                beta,
                np.float32(0),
                store if stored else candidates._NO_STORE,
                offsets[b],
            )
        return time.perf_counter() - started, row_bar

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{n_e:,} x {n_m:,} (seed {args.seed}): {pairs:,} indexed pairs, load average {load}")
    bars = np.zeros(0, np.int64)
    jobs = (
        (0, False, "collect"),
        (0, True, "collect, storing each pair's score"),
        (1, False, "pricing"),
        (1, True, "pricing from the stored scores"),
    )
    for job, stored, name in jobs:
        alpha = beta = none
        if job == 1:
            score = (bars >> 32).astype(np.uint32).view(np.float32)
            alpha = np.where(bars >= 0, np.floor(score), 0).astype(np.float64)
            beta = np.zeros(features.mentors.n, np.float64)
        seconds = []
        for _ in range(args.repeat):
            elapsed, row_bar = scan(job, alpha, beta, stored)
            seconds.append(elapsed)
            bars = row_bar if job == 0 else bars
        best, median = min(seconds), statistics.median(seconds)
        print(
            f"{name}: {best:.2f} s best, {median:.2f} s median of {args.repeat}: "
            f"{pairs / best / 1e6:.0f} M pairs per second on one core"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
