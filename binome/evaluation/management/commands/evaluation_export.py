"""Write a programme's row-level exports (answers.csv and the others) and the figures to a folder.

For the organisation's staff: pseudonymous ids, but free-text answers and legal status are in
them. Keep the folder inside the organisation."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from binome.evaluation import exports
from binome.evaluation.figures import evaluation, scope_for
from binome.evaluation.management.commands._common import programme_and_edition


class Command(BaseCommand):
    help = "Write answers.csv, participants.csv, duos.csv, meetings.csv, checkins.csv, figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme_slug")
        parser.add_argument("--edition", help="an edition's name or id (default: all)")
        parser.add_argument("--out", required=True, help="the folder to write into")
        parser.add_argument("--no-sensitive", action="store_true", help="leave legal status out")

    def handle(self, *args: Any, **options: Any) -> None:
        programme, edition = programme_and_edition(options["programme_slug"], options["edition"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        scope = scope_for(programme, edition)
        for table in exports.TABLES:
            path = out / f"{table}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                rows = exports.rows(scope, table, sensitive=not options["no_sensitive"])
                exports.write_csv(rows, handle)
            self.stdout.write(f"wrote {path}")
        figures = out / "figures.json"
        figures.write_text(
            json.dumps(evaluation(programme, edition), indent=2, ensure_ascii=False, default=str)
        )
        self.stdout.write(f"wrote {figures}")
