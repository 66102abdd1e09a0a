"""Unsigned agreements no longer keep a copy of their texts: they are computed when read.

An agreement's stored texts are now the texts of its first signature; an unsigned agreement
prepared by an earlier version kept a copy that would be shown instead of today's text.
"""

from django.db import migrations


def forget_unsigned_texts(apps, schema_editor):
    Agreement = apps.get_model("duos", "Agreement")
    Agreement.objects.filter(frozen_at__isnull=True, signatures__isnull=True).update(texts={})


class Migration(migrations.Migration):
    dependencies = [("duos", "0003_unique_video_rooms")]

    operations = [migrations.RunPython(forget_unsigned_texts, migrations.RunPython.noop)]
