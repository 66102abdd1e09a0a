"""Command line: `python -m matching_engine solve|candidates|bench`.

Exit codes: 0 done, 2 the instance (or the command line) is invalid; the message names the field
and the id at fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from .candidates import candidates
from .errors import MatchingError
from .gcpause import pausing
from .parse import parse_instance
from .solver import solve


@pausing
def main(argv: list[str] | None = None) -> int:
    """Run one command and return the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m matching_engine", description="Binôme's mentee-mentor matching engine."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="match an instance and print the result as JSON")
    p_solve.add_argument("instance", help="instance JSON file, or - for standard input")
    p_solve.add_argument("--method", choices=("optimal", "stable"), help="override the settings")
    p_solve.add_argument("--timings", action="store_true", help="add seconds per phase")
    p_solve.add_argument("--indent", type=int, default=2, help="JSON indent (0 for one line)")
    p_cand = sub.add_parser("candidates", help="print every feasible pair with its breakdown")
    p_cand.add_argument("instance", help="instance JSON file, or - for standard input")
    p_cand.add_argument("--mentee", help="only this mentee's mentors")
    p_cand.add_argument("--mentor", help="only this mentor's mentees")
    p_cand.add_argument("--limit", type=int, help="at most this many pairs, best first")
    p_cand.add_argument("--indent", type=int, default=2, help="JSON indent (0 for one line)")
    p_bench = sub.add_parser("bench", help="time the engine on generated national-scale cohorts")
    p_bench.add_argument(
        "--sizes",
        default="1000x800,10000x8000,20000x16000,100000x60000",
        help="comma-separated MENTEESxMENTORS (default: %(default)s)",
    )
    p_bench.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    p_bench.add_argument(
        "--no-reference", action="store_true", help="skip the independent solver and full graph"
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "bench":
            from .bench.run import run  # scipy is only needed here

            return run(args.sizes, seed=args.seed, reference=not args.no_reference)
        data = _load(args.instance)
        if args.command == "solve" and args.method:
            data.setdefault("settings", {})["method"] = args.method
        instance = parse_instance(data)
        if args.command == "solve":
            output: Any = solve(instance).to_dict(timings=args.timings)
        else:
            pairs = candidates(instance, args.mentee, args.mentor, args.limit)
            output = {"pairs": [p.to_dict() for p in pairs]}
    except MatchingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        if args.indent == 2:  # the default: orjson writes the same bytes, several times faster
            sys.stdout.flush()
            sys.stdout.buffer.write(dumps_indented(output) + b"\n")
            sys.stdout.buffer.flush()
        else:
            # dumps, not dump: in one shot, json uses its C encoder (dump never does).
            text = json.dumps(output, indent=args.indent or None, ensure_ascii=False)
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def dumps_indented(value: Any) -> bytes:
    """Return value as UTF-8 JSON indented by 2, as json.dumps(indent=2, ensure_ascii=False)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; json does the same, slower
        return json.dumps(value, indent=2, ensure_ascii=False).encode()
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY)


def loads(data: bytes) -> Any:
    """Parse JSON bytes (orjson when installed: an instance of 100,000 people in a third)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)  # for json's message, line and column


def _load(path: str) -> Any:
    try:
        if path == "-":
            return loads(sys.stdin.buffer.read())
        with open(path, "rb") as handle:
            return loads(handle.read())
    except OSError as error:
        raise MatchingError(f"cannot read the instance: {error.strerror}", field=path) from None
    except json.JSONDecodeError as error:
        raise MatchingError(
            f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}", field=path
        ) from None
