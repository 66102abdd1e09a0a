from typing import Any

from django.core.management.base import BaseCommand

from binome.questionnaires.services import library_load


class Command(BaseCommand):
    help = "Load (or update) the questionnaires shipped with Binôme."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = library_load(force=True)
        self.stdout.write(f"{len(loaded)} questionnaires in the library")
