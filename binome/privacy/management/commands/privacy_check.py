import re

from django.core.management.base import BaseCommand, CommandError

from binome.privacy.check import run_check


class Command(BaseCommand):
    help = (
        "Create a participant whose every text holds CANARY in an organisation of its own, take "
        "her through application, intake, matching, a signed agreement, meetings, check-ins, "
        "e-mails, an import and a scan, erase her, then search the whole database (pg_dump, or "
        "SQLite's rows and files) and the media folder for the canary, her e-mail and phone. "
        "Exits with an error if anything is found. The check's organisation is deleted after."
    )

    def add_arguments(self, parser):
        parser.add_argument("canary", help="a word found nowhere else, 8+ letters or digits")
        parser.add_argument(
            "--keep", action="store_true", help="leave the check's organisation in the database"
        )

    def handle(self, *args, canary, keep=False, **options):
        if not re.fullmatch(r"[A-Za-z0-9]{8,40}", canary):
            raise CommandError("The canary is 8 to 40 letters or digits (it makes an e-mail).")
        result = run_check(canary, keep=keep)
        self.stdout.write(f"E-mails sent during the journeys: {result.emails_sent}")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        for place in result.before:
            self.stdout.write(
                f"{place}: {result.before[place]} before erasure, {result.after[place]} after"
            )
        if not any(result.before.values()):
            raise CommandError("The canary was not found before erasure: the search is broken.")
        if not result.clean:
            raise CommandError("The canary is still there after erasure.")
        self.stdout.write("Canary found 0 times after erasure.")
