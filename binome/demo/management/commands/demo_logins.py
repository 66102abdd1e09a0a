from django.core.management.base import BaseCommand

from binome.demo.load import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        width = max(len(email) for email, _what in DEMO_LOGINS) + 2
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email:<{width}}{what}")
