from django import forms
from django.template import Context, Template
from django.utils import translation

from binome.core.content import (
    Localized,
    TranslationsFormMixin,
    localize,
    merge_translations,
)


def test_the_readers_language_is_given_when_written():
    text = localize("Bienvenue", {"ar": "أهلا"}, language="ar")
    assert text == Localized("أهلا", "ar", fallback=False)


def test_a_missing_language_falls_back_to_the_source_marked_with_its_language_and_direction():
    with translation.override("ar"):
        text = localize("Une communauté d'entraide.", {"uk": "Спільнота"})
        html = text.inline()
    assert text.fallback
    assert html == '<span lang="fr" dir="ltr">Une communauté d&#x27;entraide.</span>'


def test_text_in_the_pages_language_is_isolated_but_not_marked_foreign():
    with translation.override("fr"):
        assert localize("Bonjour", {}).inline() == '<bdi dir="auto">Bonjour</bdi>'


def test_an_arabic_translation_inside_a_french_page_reads_right_to_left():
    with translation.override("fr"):
        html = localize("Bonjour", {"ar": "مرحبا"}, language="ar").block()
    assert html.startswith('<div lang="ar" dir="rtl"')


def test_a_block_keeps_line_breaks_and_escapes_markup():
    html = localize("<b>un</b>\ndeux", {}, language="fr").block()
    assert "&lt;b&gt;un&lt;/b&gt;<br>deux" in html


class ProgrammeTexts(TranslationsFormMixin, forms.Form):
    translated_fields = ("name", "description")
    name = forms.CharField(max_length=20)
    description = forms.CharField(widget=forms.Textarea, required=False)


def test_the_form_adds_an_input_per_text_and_other_language_marked_with_its_direction():
    form = ProgrammeTexts(languages=["fr", "ar", "uk"])
    assert list(form.fields) == [
        "name",
        "description",
        "name__ar",
        "name__uk",
        "description__ar",
        "description__uk",
    ]
    assert form.fields["name__ar"].widget.attrs["dir"] == "rtl"
    assert form.fields["name__ar"].max_length == 20  # type: ignore[attr-defined]
    assert isinstance(form.fields["description__uk"].widget, forms.Textarea)


def test_the_form_reads_back_only_the_texts_typed_and_refuses_one_too_long():
    data = {"name": "Mentorat", "name__ar": " إرشاد ", "name__uk": "", "description__ar": ""}
    form = ProgrammeTexts(data, languages=["fr", "ar", "uk"])
    assert form.is_valid(), form.errors
    assert form.cleaned_translations() == {"name": {"ar": "إرشاد"}}
    too_long = ProgrammeTexts({"name": "x", "name__uk": "й" * 21}, languages=["fr", "uk"])
    assert not too_long.is_valid()
    assert "name__uk" in too_long.errors


def test_dropping_a_language_from_the_form_keeps_what_was_written_in_it():
    stored = {"name": {"ar": "قديم", "uk": "Стара"}}
    merged = merge_translations(
        stored, {"name": {"ar": "جديد"}}, fields=["name"], languages=["fr", "ar"]
    )
    assert merged == {"name": {"ar": "جديد", "uk": "Стара"}}


def test_the_template_filters_render_the_readers_language(cast):
    programme = cast.programme
    template = Template('{% load content %}{{ p|localized:"name" }}')
    with translation.override("ar"):
        html = template.render(Context({"p": programme}))
    assert html == '<span lang="fr" dir="ltr">Mentorat interculturel</span>'
