from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from binome.encryption import keys, stored
from binome.encryption.fields import encrypted_fields, hash_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first of FIELD_ENCRYPTION_KEYS and hash the "
        "searchable ones again with it, in batches, and print how many. Values already under "
        "the first key are left as they are: running it again changes nothing. Once it has run, "
        "the keys after the first one can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=stored.BATCH_SIZE)
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        models = [m for m in apps.get_models() if encrypted_fields(m) or hash_fields(m)]
        total = 0
        for model in models:
            try:
                counts = stored.rotate_model(
                    model, using=options["database"], batch_size=options["batch_size"]
                )
            except keys.UndecryptableValue as error:
                raise CommandError(str(error)) from error
            total += counts.reencrypted
            # Counts only: no value, plain or encrypted, goes to the output.
            self.stdout.write(
                f"{counts.label} ({', '.join(counts.fields)}): {counts.reencrypted} re-encrypted, "
                f"{counts.already_current} already under the first key, "
                f"{counts.changed_meanwhile} saved meanwhile, "
                f"{counts.hashes_updated} hashes updated."
            )
        self.stdout.write(f"{total} values re-encrypted with the first key.")
