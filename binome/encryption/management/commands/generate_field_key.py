from django.conf import settings
from django.core.management.base import BaseCommand

from binome.encryption import keys


class Command(BaseCommand):
    help = (
        "Print a new random key for FIELD_ENCRYPTION_KEYS. With --from-secret-key, print instead "
        "the key derived from SECRET_KEY, which encrypted the data of a server that ran without "
        "FIELD_ENCRYPTION_KEYS: put it after a new key, then run rotate_field_keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from-secret-key", action="store_true")

    def handle(self, *args, **options):
        if options["from_secret_key"]:
            self.stdout.write(keys.key_from_secret_key(settings.SECRET_KEY))
        else:
            self.stdout.write(keys.new_key())
