"""A programme's texts in the organisation's languages: chosen by an admin, typed per language,
missing ones shown to staff, and each participant reading hers (or the source, marked)."""

import pytest
from django.urls import reverse
from django.utils import translation

from binome.core.models import AuditEvent
from binome.programmes.models import Organisation, Programme
from binome.programmes.tests.test_staff import current_settings

pytestmark = pytest.mark.django_db


def in_language(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_an_admin_chooses_the_organisation_s_languages_source_first(cast, client_as):
    url = reverse("programmes:organisation_settings", args=[cast.org_a.pk])
    data = {"version": 1, "source_language": "fr", "other_languages": ["uk", "ar"]}
    assert client_as(cast.adam).post(url, data).status_code == 302
    organisation = Organisation.objects.get(pk=cast.org_a.pk)
    assert organisation.content_languages == ["fr", "ar", "uk"]
    event = AuditEvent.objects.get(action="organisation.update")
    assert "content_languages" in event.detail["fields"]


def test_an_unknown_language_is_refused_and_nothing_changes(cast, client_as):
    url = reverse("programmes:organisation_settings", args=[cast.org_a.pk])
    data = {"version": 1, "source_language": "xx", "other_languages": ["ar"]}
    response = client_as(cast.adam).post(url, data)
    assert response.status_code == 200
    assert Organisation.objects.get(pk=cast.org_a.pk).content_languages == ["fr", "en"]


def test_the_edit_form_has_an_input_per_language_and_saves_the_translations(cast, client_as):
    Organisation.objects.filter(pk=cast.org_a.pk).update(content_languages=["fr", "ar", "uk"])
    programme = Programme.objects.get(pk=cast.programme.pk)
    url = reverse("programmes:edit", args=[programme.pk])
    client = client_as(cast.adam)
    page = client.get(url).content.decode()
    assert 'name="name__ar"' in page and 'name="description__uk"' in page
    assert 'lang="ar" dir="rtl"' in page
    # The Arabic name's input follows the French one.
    assert page.index('name="name"') < page.index('name="name__ar"') < page.index('name="slug"')
    data = current_settings(programme, name__ar="الإرشاد بين الثقافات", description__uk="Опис")
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.translations == {
        "name": {"ar": "الإرشاد بين الثقافات"},
        "description": {"uk": "Опис"},
    }
    # Still missing: Ukrainian name, Arabic description; shown on the edit page and the list.
    assert programme.missing_languages(["fr", "ar", "uk"]) == ["ar", "uk"]
    with translation.override("en"):
        edit = client.get(in_language("en", "programmes:edit", programme.pk)).content.decode()
        listing = client.get(in_language("en", "programmes:list")).content.decode()
    assert "Texts still to translate into:" in edit and "Arabic" in edit
    assert "To translate into:" in listing


def test_a_language_the_organisation_dropped_keeps_its_texts(cast, client_as):
    programme = Programme.objects.get(pk=cast.programme.pk)
    programme.translations = {"name": {"uk": "Наставництво"}}
    programme.save(update_fields=["translations"])
    Organisation.objects.filter(pk=cast.org_a.pk).update(content_languages=["fr", "ar"])
    url = reverse("programmes:edit", args=[programme.pk])
    data = current_settings(programme, name__ar="الإرشاد")
    assert client_as(cast.adam).post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.translations == {"name": {"uk": "Наставництво", "ar": "الإرشاد"}}


def test_a_visitor_reads_the_programme_in_her_language_or_the_source_marked(cast, client):
    programme = Programme.objects.get(pk=cast.programme.pk)
    programme.description = "Une communauté d'entraide."
    programme.translations = {"name": {"ar": "الإرشاد بين الثقافات"}}
    programme.save(update_fields=["description", "translations"])
    slugs = (programme.organisation.slug, programme.slug)
    arabic = client.get(in_language("ar", "programmes:public", *slugs)).content.decode()
    assert '<h1><bdi dir="auto">الإرشاد بين الثقافات</bdi></h1>' in arabic
    # The French description inside the Arabic page keeps its own direction: no flipped full stop.
    assert '<div lang="fr" dir="ltr" class="content-text">Une communauté d&#x27;entraide.' in arabic
    directory = client.get(in_language("ar", "programmes:directory")).content.decode()
    assert "الإرشاد بين الثقافات" in directory
    ukrainian = client.get(in_language("uk", "programmes:public", *slugs)).content.decode()
    assert f'<span lang="fr" dir="ltr">{programme.name}</span>' in ukrainian
