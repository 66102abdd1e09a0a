"""Give every existing programme the lists of its kind, with the codes its records hold.

The needs a programme had chosen and the themes it had typed become its first items (a theme's
text is its code: meetings stored the text).
"""

from django.db import migrations


def create_lists(apps, schema_editor):
    from binome.programmes.vocabularies import defaults, label_in_languages

    Programme = apps.get_model("programmes", "Programme")
    VocabularyItem = apps.get_model("programmes", "VocabularyItem")
    items = []
    for programme in Programme.objects.select_related("organisation").iterator():
        languages = programme.organisation.content_languages or ["fr"]
        existing = set(
            VocabularyItem.objects.filter(programme=programme).values_list("vocabulary", "code")
        )
        lists = defaults(programme.kind, needs=programme.needs or [], themes=programme.themes or [])
        for vocabulary, entries in lists.items():
            for position, (code, label) in enumerate(entries):
                if (vocabulary, code) in existing:
                    continue
                text, others = label_in_languages(label, languages)
                items.append(
                    VocabularyItem(
                        programme=programme,
                        vocabulary=vocabulary,
                        code=code[:200],
                        label=text[:200],
                        translations={"label": others} if others else {},
                        position=position,
                    )
                )
    VocabularyItem.objects.bulk_create(items, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0010_vocabulary_items")]

    operations = [migrations.RunPython(create_lists, migrations.RunPython.noop)]
