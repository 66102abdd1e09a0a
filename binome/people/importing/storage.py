"""Keeping the table between the steps of an import: read once, kept as JSON in a private file."""

import json
import os
import secrets
import time
from pathlib import Path

from django.conf import settings

from binome.people.importing.records import TOKEN_RE, Table

# token kept in the session


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def store_table(table: Table, filename: str) -> dict:
    """Save an accepted file's table privately and return what the session keeps about it."""
    directory = import_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_stale(directory)
    token = secrets.token_urlsafe(24)
    # Private from its creation, before any personal data is written in it.
    descriptor = os.open(directory / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        json.dump(
            {"headers": table.headers, "rows": table.rows},
            file,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    return {"token": token, "name": Path(filename).name[:120]}


def stored_path(info: dict | None) -> Path | None:
    if not info or not TOKEN_RE.match(str(info.get("token", ""))):
        return None
    path = import_dir() / f"{info['token']}.json"
    return path if path.is_file() else None


def load_stored(info: dict | None) -> Table | None:
    path = stored_path(info)
    if path is None:
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return Table(
            headers=stored["headers"], rows=[(line, cells) for line, cells in stored["rows"]]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def delete_stored(info: dict | None) -> None:
    path = stored_path(info)
    if path is not None:
        path.unlink(missing_ok=True)


def _remove_stale(directory: Path, max_age_seconds: int = 24 * 3600) -> None:
    """Abandoned imports hold personal data: remove files left for more than a day."""
    limit = time.time() - max_age_seconds
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
