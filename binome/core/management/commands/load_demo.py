from django.core.management.base import BaseCommand

from binome.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organisations, programmes and people (safe to run again)."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
