import secrets

from django.db import migrations, models

import binome.duos.models


def give_each_duo_its_room(apps, schema_editor):
    Duo = apps.get_model("duos", "Duo")
    for duo in Duo.objects.only("pk"):
        duo.video_room = secrets.token_urlsafe(12)
        duo.save(update_fields=["video_room"])


class Migration(migrations.Migration):
    dependencies = [("duos", "0002_duo_life")]

    operations = [
        migrations.RunPython(give_each_duo_its_room, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="duo",
            name="video_room",
            field=models.CharField(
                default=binome.duos.models.new_video_room, max_length=32, unique=True
            ),
        ),
    ]
