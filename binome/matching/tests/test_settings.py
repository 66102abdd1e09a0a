"""Matching settings edited by two coordinators at once: the later save is told, never lost."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from binome.core.errors import EditConflict
from binome.matching.models import MatchingSettings
from binome.matching.services import matching_settings_save

CRITERIA = ["sector", "needs", "interests", "distance", "languages", "age"]


def settings_url(programme) -> str:
    with translation.override("en"):
        return reverse("matching:settings", args=[programme.pk])


def settings_data(**changes) -> dict:
    data = {
        "min_language_level": "A2",
        "min_shared_slots": 1,
        "min_score": 0,
        "method": "optimal",
        "version": 1,
        **{f"weight_{name}": 50 for name in CRITERIA},
    }
    return {**data, **changes}


@pytest.fixture
def coordinators(cast, client_as):
    """Carla and Adam (an admin is staff too), each with the settings page open."""
    carla, adam = client_as(cast.carla), client_as(cast.adam)
    url = settings_url(cast.programme)
    assert carla.get(url).status_code == adam.get(url).status_code == 200
    return carla, adam


def test_the_second_of_two_first_saves_is_refused_and_keeps_its_input(cast, coordinators):
    carla, adam = coordinators
    url = settings_url(cast.programme)
    assert not MatchingSettings.objects.exists()  # both forms show the defaults, version 1
    assert carla.post(url, settings_data(min_score=30)).status_code == 302
    response = adam.post(url, settings_data(method="stable", weight_age=7))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Carla Coordinatrice saved this matching settings while you were editing" in page
    assert "minimum score" in page.split("changed:")[1].split(")")[0]
    form = response.context["form"]
    assert (form.data["method"], form.data["weight_age"]) == ("stable", "7")  # input kept
    conf = MatchingSettings.objects.get()
    assert (conf.min_score, conf.method, conf.version) == (30, "optimal", 2)
    # Saving again, knowingly, from the form that now carries the current version.
    assert form.data["version"] == "2"
    assert adam.post(url, dict(form.data.items())).status_code == 302
    conf.refresh_from_db()
    assert (conf.method, conf.weights["age"], conf.version) == ("stable", 7, 3)


def test_a_save_on_settings_changed_since_the_form_was_opened_is_refused(cast, client_as):
    matching_settings_save(programme=cast.programme, actor=cast.carla, expected_version=1)
    url = settings_url(cast.programme)
    carla, adam = client_as(cast.carla), client_as(cast.adam)
    assert carla.post(url, settings_data(version=2, min_shared_slots=3)).status_code == 302
    response = adam.post(url, settings_data(version=2, min_score=60))
    assert response.status_code == 200
    assert "minimum common time slots" in response.content.decode()
    conf = MatchingSettings.objects.get()
    assert (conf.min_shared_slots, conf.min_score, conf.version) == (3, 0, 3)


def test_default_weights_from_a_stale_form_are_refused(cast, coordinators):
    carla, adam = coordinators
    url = settings_url(cast.programme)
    assert carla.post(url, settings_data(weight_age=90)).status_code == 302
    response = adam.post(url, {**settings_data(), "reset": "1"})
    assert response.status_code == 200
    assert "saved this matching settings while you were editing" in response.content.decode()
    assert MatchingSettings.objects.get().weights["age"] == 90
    form = response.context["form"]
    assert adam.post(url, {**form.data.dict(), "reset": "1"}).status_code == 302
    assert MatchingSettings.objects.get().weights == {}


def test_the_service_names_what_the_other_save_changed(cast):
    matching_settings_save(
        programme=cast.programme, actor=cast.carla, expected_version=1, min_score=40
    )
    with pytest.raises(EditConflict) as caught:
        matching_settings_save(
            programme=cast.programme, actor=cast.adam, expected_version=1, method="stable"
        )
    assert caught.value.current_version == 2
    assert caught.value.changed == [str(MatchingSettings._meta.get_field("min_score").verbose_name)]
    assert caught.value.by == "Carla Coordinatrice"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_saves_give_one_winner_and_one_conflict():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: the insert race only exists on PostgreSQL")
    from conftest import make_cast

    cast = make_cast()
    first_inserted, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                matching_settings_save(
                    programme=cast.programme, actor=cast.carla, expected_version=1, min_score=30
                )
                first_inserted.set()  # the row exists, not yet committed
                release.wait(10)
            outcome["first"] = "saved"
        except Exception as error:  # reported in the outcome rather than lost in the thread
            outcome["first"] = repr(error)
        finally:
            connection.close()

    def second():
        try:
            first_inserted.wait(10)
            matching_settings_save(
                programme=cast.programme, actor=cast.adam, expected_version=1, method="stable"
            )
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = ("conflict", conflict.current_version)
        except Exception as error:  # an IntegrityError here was the server error
            outcome["second"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inserted.wait(10)
    threads[1].join(0.5)  # the second insert waits for the first transaction
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcome == {"first": "saved", "second": ("conflict", 2)}
    conf = MatchingSettings.objects.get(programme=cast.programme)
    assert (conf.min_score, conf.method, conf.version) == (30, "optimal", 2)
