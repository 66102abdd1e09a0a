from dataclasses import asdict

from django.core.management.base import BaseCommand

from binome.privacy.services.retention import retention_apply
from binome.programmes.models import Organisation


class Command(BaseCommand):
    help = (
        "Apply each organisation's retention periods: anonymise the closed, withdrawn and "
        "rejected participants past theirs (through erasure; those whose signed agreement the "
        "law still keeps are skipped and counted), delete the scans and purge the audit events "
        "past theirs. Prints counts per organisation and records them on its audit trail. "
        "Idempotent: run it daily from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        for organisation in Organisation.objects.order_by("pk"):
            report = retention_apply(organisation=organisation)
            # Counts and the organisation's short name only: never a person's data.
            counts = ", ".join(f"{name} {value}" for name, value in asdict(report).items())
            self.stdout.write(f"{organisation.slug}: {counts}")
