"""One edition per existing programme, named by the school year of its creation, so that every
participant and duo already there belongs to one (people 0005, duos 0007 assign them)."""

from django.db import migrations


def create_editions(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Edition = apps.get_model("programmes", "Edition")
    for programme in Programme.objects.all().iterator():
        if Edition.objects.filter(programme=programme).exists():
            continue
        start = programme.created_at.date()
        first = start.year if start.month >= 9 else start.year - 1
        Edition.objects.create(programme=programme, name=f"{first}–{first + 1}", starts_on=start)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0007_edition")]
    operations = [migrations.RunPython(create_editions, migrations.RunPython.noop)]
