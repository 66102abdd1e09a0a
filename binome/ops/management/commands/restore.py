from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from binome.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup` into an EMPTY database (created, never migrated) "
        "and an empty media folder, then check that every table has the backup's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source: Path, **options):
        try:
            counts = backup_restore(source)
        except (BackupError, OSError, KeyError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {sum(counts.values())} rows in {len(counts)} tables.")
