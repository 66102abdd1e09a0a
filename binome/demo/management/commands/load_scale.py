import time

from django.core.management.base import BaseCommand, CommandError

from binome.demo.scale import SCALE_PASSWORD, scale_load, scale_logins


class Command(BaseCommand):
    help = (
        "Load a data set at scale for load tests: one organisation, five programmes, "
        "--participants people of whom --duos duos, with meetings, check-ins and alerts. "
        "Into an empty, migrated database that serves no one: every account shares a "
        "published password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=10_000)
        parser.add_argument("--duos", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, participants, duos, seed, **options):
        start = time.perf_counter()
        try:
            loaded = scale_load(
                participants=participants, duos=duos, seed=seed, say=self.stdout.write
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Loaded {loaded.participants} participants, {loaded.duos} duos, "
            f"{loaded.meetings} meetings, {loaded.checkins} check-ins, {loaded.alerts} alerts, "
            f"{loaded.users} accounts in {time.perf_counter() - start:.1f} s."
        )
        self.stdout.write(f"Logins (password {SCALE_PASSWORD}):")
        for email, what in scale_logins():
            self.stdout.write(f"  {email:40} {what}")
