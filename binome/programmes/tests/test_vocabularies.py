"""A programme's own lists: defaults per kind, the staff page, retiring, labels in the reader's
language, and the forms of duos that offer them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from binome.core.content import Localized
from binome.core.errors import EditConflict
from binome.core.models import AuditEvent
from binome.programmes import services
from binome.programmes.models import Programme, Vocabulary, VocabularyItem
from binome.programmes.vocabularies import vocabulary_of
from binome.testing import CANARY, ROLES, STAFF_ONLY

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(cast):
    """The cast's programme with its lists as rows, in French, English and Arabic."""
    cast.org_a.content_languages = ["fr", "en", "ar"]
    cast.org_a.save(update_fields=["content_languages"])
    cast.programme.refresh_from_db()
    services.vocabulary_defaults_create(programme=cast.programme)
    return cast.programme


def item(programme, vocabulary, code) -> VocabularyItem:
    return VocabularyItem.objects.get(programme=programme, vocabulary=vocabulary, code=code)


def url(name, *args, lang="en") -> str:
    with translation.override(lang):
        return reverse(name, args=args)


def fresh(programme) -> Programme:
    """The programme read again, so that its lists are read again too."""
    return Programme.objects.select_related("organisation").get(pk=programme.pk)


# --- defaults ---------------------------------------------------------------------------------


def test_a_new_programme_gets_its_kinds_lists_with_labels_in_the_organisations_languages(cast):
    cast.org_a.content_languages = ["fr", "ar"]
    cast.org_a.save(update_fields=["content_languages"])
    programme = services.programme_create(
        organisation=cast.org_a,
        actor=cast.adam,
        name="Villes",
        kind=Programme.Kind.CITY_TO_CITY,
        mode=Programme.Mode.HYBRID,
    )
    themes = vocabulary_of(programme).codes_in_use(Vocabulary.THEMES)
    assert "housing_policy" in themes
    reason = item(programme, Vocabulary.CLOSE_REASONS, "goal_reached")
    assert reason.label == "Objectif atteint"
    assert reason.translations["label"]["ar"]
    outcomes = vocabulary_of(programme).codes_in_use(Vocabulary.OUTCOMES)
    assert "policy_change" in outcomes and "employment" not in outcomes
    # The professional supports are N2WA's five; a city programme gets its own.
    assert "moral" not in vocabulary_of(programme).codes_in_use(Vocabulary.SUPPORTS)


def test_creating_the_defaults_twice_adds_nothing(lists):
    assert services.vocabulary_defaults_create(programme=lists) == 0


# --- the service ------------------------------------------------------------------------------


def test_an_added_item_gets_a_code_from_its_label_and_an_audit_row(cast, lists):
    added = services.vocabulary_item_add(
        programme=lists,
        actor=cast.carla,
        vocabulary=Vocabulary.THEMES,
        label="Politique du logement",
        translations={"ar": "سياسة السكن", "en": "Housing policy"},
    )
    assert added.code == "politique-du-logement"
    assert added.translations == {"label": {"ar": "سياسة السكن", "en": "Housing policy"}}
    assert AuditEvent.objects.filter(action="vocabulary.add", target_id=str(added.pk)).exists()
    with pytest.raises(ValidationError):
        services.vocabulary_item_add(
            programme=lists,
            actor=cast.carla,
            vocabulary=Vocabulary.THEMES,
            label="politique du LOGEMENT",
        )


def test_ways_of_meeting_are_reworded_not_added(cast, lists):
    with pytest.raises(ValidationError):
        services.vocabulary_item_add(
            programme=lists, actor=cast.carla, vocabulary=Vocabulary.MEETING_MODES, label="Walk"
        )


def test_the_last_reason_for_closing_in_use_cannot_be_retired(cast, lists):
    reasons = VocabularyItem.objects.filter(programme=lists, vocabulary=Vocabulary.CLOSE_REASONS)
    *others, last = list(reasons)
    for other in others:
        services.vocabulary_item_retire(item=other, actor=cast.carla, expected_version=1)
    with pytest.raises(ValidationError):
        services.vocabulary_item_retire(item=last, actor=cast.carla, expected_version=1)


def test_an_edit_from_a_stale_version_is_refused_and_changes_nothing(cast, lists):
    need = item(lists, Vocabulary.NEEDS, "employment")
    services.vocabulary_item_update(
        item=need, actor=cast.carla, expected_version=1, label="Logement digne"
    )
    with pytest.raises(EditConflict):
        services.vocabulary_item_update(
            item=need, actor=cast.adam, expected_version=1, label="Habitat"
        )
    assert item(lists, Vocabulary.NEEDS, "employment").label == "Logement digne"


def test_moving_an_item_swaps_it_with_its_neighbour(cast, lists):
    codes = vocabulary_of(fresh(lists)).codes_in_use(Vocabulary.OUTCOMES)
    second = item(lists, Vocabulary.OUTCOMES, codes[1])
    services.vocabulary_item_move(item=second, actor=cast.carla, expected_version=1, up=True)
    moved = vocabulary_of(fresh(lists)).codes_in_use(Vocabulary.OUTCOMES)
    assert moved[:2] == [codes[1], codes[0]] and moved[2:] == codes[2:]


# --- the page and its role matrix -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_coordinators_and_admins_open_the_lists(
    cast, lists, client_as, role
):
    response = client_as(cast.users()[role]).get(url("programmes:vocabularies", lists.pk))
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Reasons for closing" in page and CANARY not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_staff_add_retire_or_edit_an_item(cast, lists, client_as, role):
    client = client_as(cast.users()[role])
    add = client.post(
        url("programmes:vocabulary_add", lists.pk, "themes"), {"themes-label": f"Theme {role}"}
    )
    need = item(lists, Vocabulary.NEEDS, "social_network")
    retire = client.post(
        url("programmes:vocabulary_item_action", need.pk), {"action": "retire", "version": 1}
    )
    edit = client.get(url("programmes:vocabulary_item_edit", need.pk))
    staff = STAFF_ONLY[role] == 200
    expected = 302 if staff or role == "anonymous" else 404
    assert (add.status_code, retire.status_code) == (expected, expected)
    assert edit.status_code == STAFF_ONLY[role]
    assert VocabularyItem.objects.filter(label=f"Theme {role}").exists() == staff
    assert (item(lists, Vocabulary.NEEDS, "social_network").retired_at is not None) == staff


def test_the_outsider_cannot_touch_another_organisations_items(cast, lists, client_as):
    reason = item(lists, Vocabulary.CLOSE_REASONS, "moved")
    client = client_as(cast.olga)
    response = client.post(
        url("programmes:vocabulary_item_edit", reason.pk), {"label": "Hacked", "version": 1}
    )
    assert response.status_code == 404
    assert item(lists, Vocabulary.CLOSE_REASONS, "moved").label != "Hacked"


def test_a_coordinator_adds_a_theme_with_its_arabic_label_and_edits_it(cast, lists, client_as):
    client = client_as(cast.carla)
    response = client.post(
        url("programmes:vocabulary_add", lists.pk, "themes"),
        {"themes-label": "Logement", "themes-label__ar": "السكن", "themes-label__en": "Housing"},
    )
    assert response.status_code == 302
    added = item(lists, Vocabulary.THEMES, "logement")
    assert added.translations["label"] == {"ar": "السكن", "en": "Housing"}
    page = client.get(url("programmes:vocabulary_item_edit", added.pk)).content.decode()
    assert "السكن" in page
    response = client.post(
        url("programmes:vocabulary_item_edit", added.pk),
        {"label": "Habitat", "label__ar": "السكن", "label__en": "Housing", "version": 1},
    )
    assert response.status_code == 302
    assert item(lists, Vocabulary.THEMES, "logement").label == "Habitat"


def test_an_empty_label_is_refused_on_the_field_and_the_page_keeps_the_rest(cast, lists, client_as):
    response = client_as(cast.carla).post(
        url("programmes:vocabulary_add", lists.pk, "needs"),
        {"needs-label": "  ", "needs-label__ar": "شيء"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "شيء" in page


def test_a_stale_edit_page_is_refused_and_keeps_the_input(cast, lists, client_as):
    need = item(lists, Vocabulary.NEEDS, "language")
    services.vocabulary_item_update(item=need, actor=cast.adam, expected_version=1, label="Langue")
    response = client_as(cast.carla).post(
        url("programmes:vocabulary_item_edit", need.pk), {"label": "Français", "version": 1}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "while you were editing" in page and 'value="Français"' in page
    assert item(lists, Vocabulary.NEEDS, "language").label == "Langue"


def test_a_stale_retire_button_is_refused_with_a_message(cast, lists, client_as):
    need = item(lists, Vocabulary.NEEDS, "language")
    services.vocabulary_item_update(item=need, actor=cast.adam, expected_version=1, label="Langue")
    response = client_as(cast.carla).post(
        url("programmes:vocabulary_item_action", need.pk),
        {"action": "retire", "version": 1},
        follow=True,
    )
    assert "nothing was done" in response.content.decode()
    assert item(lists, Vocabulary.NEEDS, "language").retired_at is None


def test_a_label_missing_in_the_readers_language_falls_back_to_the_source_marked(cast, lists):
    added = services.vocabulary_item_add(
        programme=lists, actor=cast.carla, vocabulary=Vocabulary.THEMES, label="Cuisine"
    )
    with translation.override("ar"):
        label = vocabulary_of(fresh(lists)).label(Vocabulary.THEMES, added.code)
        assert isinstance(label, Localized)
        assert label.fallback and label.language == "fr"
        assert 'lang="fr"' in label.inline()
