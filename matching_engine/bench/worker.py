"""Solve one instance file end to end and report figures as one JSON line (run by bench.run).

It runs in its own process so that its peak memory is the engine's, not the benchmark's.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
import orjson

from ..cli import loads
from ..gcpause import pausing
from ..parse import parse_instance
from ..solver import _solve


def _high_water_mb() -> float:
    """Return this process's peak RSS since it started (VmHWM).

    Not getrusage's ru_maxrss: Linux carries that over from the parent across fork and exec, so
    a worker launched by a big process would report the parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pausing
def main(path: str, graph_path: str) -> None:
    """Time reading, parsing, solving, explaining and writing the result of one instance."""
    start = time.perf_counter()
    with open(path, "rb") as handle:
        data = loads(handle.read())
    read = time.perf_counter()
    instance = parse_instance(data)
    del data  # the engine works from the Instance; the raw JSON need not stay in memory
    parsed = time.perf_counter()
    run = _solve(instance)
    solved = time.perf_counter()
    output = orjson.dumps(run.result.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY)
    written = time.perf_counter()
    done_at = time.time()  # the parent subtracts its own clock before the process started
    own = _high_water_mb()
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)
    children = usage[1].ru_maxrss / 1024
    np.savez(
        graph_path, e=run.e, m=run.m, score=run.score, capacity=run.capacity, chosen=run.chosen
    )
    timings = {"read": read - start, "parse": parsed - read, **run.result.timings}
    timings.pop("total", None)
    timings["serialise"] = written - solved
    timings["total"] = written - start
    print(
        json.dumps(
            {
                "timings": timings,
                "peak_mb": own,
                "part_peak_mb": children,
                "parts": run.candidates.parts,
                "stats": run.result.stats,
                "output_mb": len(output) / 1e6,
                "done_at": done_at,
                "cpu": cpu,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
