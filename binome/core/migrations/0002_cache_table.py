from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # What `manage.py createcachetable` does, as part of `migrate`: the rate limits keep their
    # counters in a database cache (settings.CACHE_URL), and a fresh clone or a new server must
    # not need a second command. Tables that exist already are left alone.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False),
    ]
