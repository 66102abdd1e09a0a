"""Bytes a mentee's browser downloads per page, compressed as the production profile serves them.

    .venv/bin/python bench/page_weight.py            # a throwaway SQLite file and STATIC_ROOT
    .venv/bin/python bench/page_weight.py --encoding gzip

The production profile is used in process: STATIC_COLLECTED=true (collectstatic to a temporary
STATIC_ROOT: hashed names, .gz and .br beside them, served by WhiteNoise) and the pages through
GZipMiddleware. The cast of the tests (binome/testing.py) and the world of the site walk
(binome/tests/walk.py) fill the database; every page the walk reaches as the mentee Amina is
fetched with `Accept-Encoding: br, gzip`, then each stylesheet, script and icon it links.
Printed per page: the page itself, its files on a first visit (empty cache), and both together.
A returning visitor downloads the page only: the files are cached for a year. Goal: < 40 kB.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL = 40 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoding", default="br, gzip", help="the Accept-Encoding header")
    parser.add_argument("--language", default="ar", help="the pages' language prefix")
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["STATIC_COLLECTED"] = "true"
    os.environ["DEBUG"] = "false"
    os.environ["STATIC_ROOT"] = f"{workdir.name}/static"
    os.environ.setdefault("EMAIL_URL", "memorymail://")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # the walk's 404s and 405s for a mentee are expected
    from django.core.management import call_command
    from django.test import Client

    from binome.testing import make_cast
    from binome.tests.walk import make_world, site_urls

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    cast = make_cast()
    world = make_world(cast)
    client = Client(HTTP_ACCEPT_ENCODING=args.encoding)
    client.force_login(cast.amina, backend="django.contrib.auth.backends.ModelBackend")

    def weight(path: str) -> tuple[int, str]:
        response = client.get(path)
        streamed = getattr(response, "streaming_content", None)
        body = b"".join(streamed) if response.streaming and streamed else response.content
        return len(body), response.get("Content-Encoding", "none")

    print(f"Accept-Encoding: {args.encoding}; pages in /{args.language}/ as the mentee")
    print(f"{'page':<36} {'page':>8} {'files':>8} {'first visit':>12}  encoding")
    worst, heaviest, seen = 0, "", set()
    for name, path in site_urls(cast, world):
        path = path.replace("/en/", f"/{args.language}/", 1)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = client.get(path, HTTP_ACCEPT_ENCODING="identity").content.decode()
        page, encoding = weight(path)
        files = sum(weight(asset)[0] for asset in sorted(set(ASSET.findall(html))))
        if page + files > worst:
            worst, heaviest = page + files, name
        flag = "" if page + files < GOAL else "  over 40 kB"
        print(f"{name:<36} {page:>8} {files:>8} {page + files:>12}  {encoding}{flag}")
    print(f"heaviest first visit: {heaviest}, {worst} bytes ({worst / 1024:.1f} kB; goal < 40 kB)")


if __name__ == "__main__":
    main()
