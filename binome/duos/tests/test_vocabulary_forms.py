"""The forms of duos offer the programme's own lists; a retired item sent by a stale form is
refused on its field, and records that chose it keep reading well."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from binome.duos.models import Duo, Meeting
from binome.duos.services.closure import NextStep, closure_summary, duo_close
from binome.programmes import services
from binome.programmes.models import Vocabulary
from binome.programmes.tests.test_vocabularies import fresh, item, lists, url
from binome.programmes.vocabularies import vocabulary_of
from binome.testing import make_duo

pytestmark = pytest.mark.django_db

__all__ = ["lists"]  # the fixture, used by name


# --- retiring, and the records that chose an item ---------------------------------------------


def closing(**overrides) -> dict:
    data = {
        "reason": "goal_reached",
        "closed_on": timezone.localdate().isoformat(),
        "outcomes": ["training"],
        "mentor_next": NextStep.POOL,
        "mentee_next": NextStep.POOL,
    }
    return {**data, **overrides}


def test_a_stale_closing_form_with_a_retired_reason_is_refused_on_the_field(cast, lists, client_as):
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=60))
    client = client_as(cast.carla)
    page = client.get(url("duos:close", duo.pk)).content.decode()
    assert 'value="moved"' in page
    services.vocabulary_item_retire(
        item=item(lists, Vocabulary.CLOSE_REASONS, "moved"), actor=cast.adam, expected_version=1
    )
    response = client.post(
        url("duos:close", duo.pk), closing(reason="moved", outcome_notes="Kept note")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "no longer offered" in " ".join(form.errors["reason"])
    assert "Kept note" in response.content.decode()
    assert Duo.objects.get(pk=duo.pk).status != Duo.Status.CLOSED
    # The service refuses it too, whatever form sent it.
    with pytest.raises(ValidationError):
        duo_close(
            duo=duo,
            actor=cast.carla,
            **{**closing(reason="moved"), "closed_on": timezone.localdate()},
        )


def test_retiring_an_outcome_keeps_closed_duos_readable_in_the_readers_language(
    cast, lists, client_as
):
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=60))
    fields = {**closing(outcomes=["housing"]), "closed_on": timezone.localdate()}
    duo_close(duo=duo, actor=cast.carla, **fields)
    housing = item(lists, Vocabulary.OUTCOMES, "housing")
    services.vocabulary_item_retire(item=housing, actor=cast.carla, expected_version=1)
    duo = Duo.objects.select_related("programme__organisation").get(pk=duo.pk)
    with translation.override("ar"):
        labels = closure_summary(duo, staff=True)["outcome_labels"]
        assert [str(label) for label in labels] == [housing.translations["label"]["ar"]]
    with translation.override("fr"):
        assert [str(x) for x in closure_summary(duo, staff=True)["outcome_labels"]] == ["Logement"]
    # Offered no more to a new closure, still on the one that chose it.
    assert "housing" not in vocabulary_of(fresh(lists)).codes_in_use(Vocabulary.OUTCOMES)


def test_the_meeting_form_offers_the_programmes_items_and_keeps_a_retired_one_chosen_before(
    cast, lists, client_as
):
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=30))
    added = services.vocabulary_item_add(
        programme=lists, actor=cast.carla, vocabulary=Vocabulary.THEMES, label="Cuisine"
    )
    services.vocabulary_item_add(
        programme=lists, actor=cast.carla, vocabulary=Vocabulary.THEMES, label="Sport"
    )
    meeting = Meeting.objects.create(
        duo=duo,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        themes=[added.code],
        supports=["listening"],
    )
    services.vocabulary_item_retire(item=added, actor=cast.carla, expected_version=1)
    client = client_as(cast.marek)
    new = client.get(url("duos:meeting_new", duo.pk)).content.decode()
    assert "Cuisine" not in new and "Listening and moral support" in new
    edit = client.get(url("duos:meeting_edit", duo.pk, meeting.pk)).content.decode()
    assert "Cuisine (no longer offered)" in edit
    # A new meeting sent from a page opened before the retirement is refused on the field.
    response = client.post(
        url("duos:meeting_new", duo.pk),
        {
            "starts_at": (timezone.localtime() - datetime.timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": 60,
            "mode": "in_person",
            "themes": [added.code],
            "shared_notes": "Nous avons cuisiné",
        },
    )
    assert response.status_code == 200
    assert "no longer offered" in " ".join(response.context["form"].errors["themes"])
    assert "Nous avons cuisiné" in response.content.decode()
    assert Meeting.objects.filter(duo=duo).count() == 1
    page = client.get(url("duos:meetings", duo.pk)).content.decode()
    assert "Cuisine" in page
