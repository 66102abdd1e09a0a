import time

from django.core.management.base import BaseCommand

from binome.demo.load import load_demo


class Command(BaseCommand):
    help = "Load the demo organisations, programmes and people (safe to run again)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        created = load_demo()
        seconds = time.perf_counter() - started
        if created:
            self.stdout.write(
                f"Demo data loaded: {created} participants created in {seconds:.1f} s."
            )
        else:
            self.stdout.write("Demo data already present: nothing to add.")
