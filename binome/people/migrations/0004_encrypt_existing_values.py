# The values already there, encrypted in place (and the phones hashed). A migration of its
# own: PostgreSQL refuses to alter a table in the transaction that updated its rows, which the
# reverse (decrypt, then shrink the columns back) would otherwise do.

import binome.people.fields
from django.db import migrations

from binome.encryption.stored import Hashed, decrypt_columns, encrypt_columns

PARTICIPANT = ["phone", "legal_status", "intake_notes"]

def encrypt(apps, schema_editor):
    hashed = [Hashed("phone_hash", "phone", binome.people.fields.phone_key)]
    encrypt_columns(schema_editor, "people_participant", PARTICIPANT, hashed)
    encrypt_columns(schema_editor, "people_statuschange", ["note"])

def decrypt(apps, schema_editor):
    decrypt_columns(schema_editor, "people_participant", PARTICIPANT)
    decrypt_columns(schema_editor, "people_statuschange", ["note"])

class Migration(migrations.Migration):

    dependencies = [
        ("people", "0003_encrypt_sensitive_fields"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
