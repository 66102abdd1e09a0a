"""Run the load test headless and print, per page: requests, failures, p50, p95, p99, throughput.

    pip install -e ".[bench]"                      # locust
    python bench/load/run.py --host http://127.0.0.1:8000 --users 200 --minutes 5

Against the production server (`make serve-prod`, or gunicorn as in deploy/) on PostgreSQL,
loaded with `manage.py load_scale --participants 10000 --duos 2000`. The server needs
APPLY_RATE raised (every simulated applicant comes from one address): e.g. APPLY_RATE=100000/h.
Target: 0 failures, p95 < 300 ms on every page.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--duos", type=int, default=2000, help="as given to load_scale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "load"
        before = os.getloadavg()
        done = subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                "--host", args.host, "--users", str(args.users),
                "--spawn-rate", str(args.spawn_rate), "--run-time", f"{int(args.minutes * 60)}s",
                "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
            ],
            env={**os.environ, "SCALE_DUOS": str(args.duos)},
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        after = os.getloadavg()
        stats_path = Path(f"{prefix}_stats.csv")
        if not stats_path.exists():
            sys.exit(done.stderr[-3000:])
        with stats_path.open() as file:
            rows = list(csv.DictReader(file))
        failures = Path(f"{prefix}_failures.csv").read_text()
    print(
        f"{args.users} users, think time 5-15 s, {args.minutes:g} min, {args.host}; "
        f"load average before {before[0]:.2f}, after {after[0]:.2f} (1 min)"
    )
    header = f"{'page':28} {'requests':>8} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7} "
    print(header + f"{'p99 ms':>7} {'req/s':>7}")
    for row in sorted(rows, key=lambda row: (row["Name"] == "Aggregated", row["Name"])):
        print(
            f"{row['Name'][:28]:28} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Requests/s']):>7.2f}"
        )
    if failures.count("\n") > 1:
        print("\nFailures:\n" + failures)


if __name__ == "__main__":
    main()
