"""Print every figure of a programme's evaluation, suppressed cells as null."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from binome.evaluation.management.commands._common import programme_and_edition
from binome.evaluation.pairs import evaluation_with_pairs


class Command(BaseCommand):
    help = "Print every figure of the evaluation page of a programme (suppressed cells as null)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme_slug")
        parser.add_argument("--edition", help="an edition's name or id (default: all)")
        parser.add_argument("--json", action="store_true", help="print JSON (the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        programme, edition = programme_and_edition(options["programme_slug"], options["edition"])
        data = evaluation_with_pairs(programme, edition)
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
