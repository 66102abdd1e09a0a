from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from binome.ops.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the uploaded files into "
        "a new folder under DESTINATION; print its path. Run it daily; keep copies elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options):
        try:
            folder = backup_write(destination)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
