# The notes already there, encrypted in place; the reverse writes them back in plain text. A
# migration of its own: PostgreSQL refuses to alter a table in the transaction that updated it.

from django.db import migrations

from binome.encryption.stored import decrypt_columns, encrypt_columns

COLUMNS = {
    "duos_alert": ["resolution"],
    "duos_checkin": ["comment"],
    "duos_duo": ["outcome_notes"],
    "duos_meeting": ["private_notes"],
    "duos_supervisionnote": ["text"],
}

def encrypt(apps, schema_editor):
    for table, columns in COLUMNS.items():
        encrypt_columns(schema_editor, table, columns)

def decrypt(apps, schema_editor):
    for table, columns in COLUMNS.items():
        decrypt_columns(schema_editor, table, columns)

class Migration(migrations.Migration):

    dependencies = [
        ("duos", "0005_encrypt_coordinator_notes"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
