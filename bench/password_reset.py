"""Time the password reset request for an address with an account and for one without.

    .venv/bin/python bench/password_reset.py            # a throwaway SQLite file, n = 40
    .venv/bin/python bench/password_reset.py --runs 200

Runs in-process through Django's test client (middleware, CSRF check, templates, e-mail to the
locmem outbox). What a client can measure is the time until the response is produced; the e-mail
leaves when the server closes the response, after the last byte is sent: that part is timed
apart. The two medians of the response time should be within noise of each other; before the
e-mail was deferred they differed by the rendering and sending of the e-mail (7.8 vs 4.9 ms).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # Nothing a benchmark signs outlives it: a fixed key will do (the settings require one).
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    # The outbox in memory: what is timed is Binôme's work, not a mail server's.
    os.environ["EMAIL_URL"] = "memorymail://"
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.test import Client
    from django.test.client import ClientHandler
    from django.test.utils import setup_test_environment

    from binome.accounts.models import User

    class TimedHandler(ClientHandler):
        """The test client's handler, noting when the response is ready, before close()."""

        def get_response(self, request):
            response = super().get_response(request)
            self.ready_at = time.perf_counter()
            return response

    setup_test_environment()  # the locmem outbox
    call_command("migrate", verbosity=0)
    for n in range(50):
        # A usable password's hash, written as is: the reset never checks it, and hashing 50
        # Argon2 passwords would only slow the set-up down.
        User.objects.create(email=f"person{n}@bench.example", password=f"md5$x${n}", full_name="P")

    client = Client()
    client.handler = TimedHandler(enforce_csrf_checks=False)
    url = "/fr/accounts/password-reset/"
    client.get(url)  # the process's first request loads URLs, translations and templates
    client.post(url, {"email": "person0@bench.example"})
    # By kind of address: (seconds until the response, seconds of work after it), per request.
    timings: dict[str, tuple[list[float], list[float]]] = {"known": ([], []), "unknown": ([], [])}
    for run in range(args.runs):
        pair = [
            ("known", f"person{run % 50}@bench.example"),
            ("unknown", f"nobody{run}@bench.example"),
        ]
        # Interleaved, each first in turn: a busy machine slows both kinds alike.
        for kind, email in pair if run % 2 else pair[::-1]:
            mail.outbox = []
            start = time.perf_counter()
            response = client.post(url, {"email": email})
            done = time.perf_counter()
            assert response.status_code == 302, response.status_code
            assert len(mail.outbox) == (kind == "known")
            ready, after = timings[kind]
            ready.append(client.handler.ready_at - start)
            after.append(done - client.handler.ready_at)
    print(f"password reset, median of {args.runs} requests each (sqlite, in-process):")
    for kind, (ready, after) in timings.items():
        print(
            f"  {kind:7} address: response {statistics.median(ready) * 1000:.2f} ms, "
            f"then after the response {statistics.median(after) * 1000:.2f} ms"
        )
    known, unknown = (statistics.median(timings[kind][0]) for kind in ("known", "unknown"))
    print(f"  difference in the response: {(known - unknown) * 1000:+.2f} ms")
    workdir.cleanup()


if __name__ == "__main__":
    main()
