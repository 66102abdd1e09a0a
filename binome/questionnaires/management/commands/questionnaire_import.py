from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binome.programmes.models import Organisation
from binome.questionnaires.instruments import InstrumentError, parse_instrument
from binome.questionnaires.services import instrument_save


class Command(BaseCommand):
    help = "Import an organisation's own questionnaire from a file (refused with line and reason)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation_slug")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation_slug"]).first()
        if organisation is None:
            raise CommandError("no such organisation")
        path: Path = options["path"]
        try:
            data = parse_instrument(path.read_text(encoding="utf-8"))
        except InstrumentError as error:
            for line, reason in error.problems:
                self.stderr.write(f"{path}:{line}: {reason}")
            raise CommandError("nothing imported") from None
        questionnaire = instrument_save(data=data, organisation=organisation)
        version = questionnaire.current_version()
        self.stdout.write(f"imported {questionnaire.key} v{version.number if version else 0}")
