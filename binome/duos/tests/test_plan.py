"""The action plan: co-edited objectives, their history, bad input and concurrent edits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.duos.models import Duo, Objective, ObjectiveRevision
from binome.duos.services.common import DuoError
from binome.duos.services.plan import EditConflict, objective_create, objective_update
from binome.duos.tests.helpers import en, text
from binome.people.services import participant_create
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES


def objective(duo, actor, **fields) -> Objective:
    data = {"title": "Write a CV in French", "need": "employment", **fields}
    return objective_create(duo=duo, actor=actor, **data)


def form_data(obj: Objective, **changes) -> dict:
    data = {
        "title": obj.title,
        "need": obj.need,
        "why": obj.why,
        "steps": obj.steps,
        "due_on": obj.due_on.isoformat() if obj.due_on else "",
        "status": obj.status,
        "carried_by": obj.carried_by,
        "version": obj.version,
    }
    return {**data, **changes}


def close(duo: Duo) -> None:
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED, closed_on=timezone.localdate())
    duo.refresh_from_db()


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_pages_are_for_the_duo_and_its_organisations_staff(duo, cast, client_as, role):
    obj = objective(duo, cast.marek)
    client = client_as(cast.users()[role])
    urls = [
        en("duos:plan", duo.pk),
        en("duos:objective_edit", duo.pk, obj.pk),
        en("duos:objective_history", duo.pk, obj.pk),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == PARTIES_AND_STAFF[role], url
        if response.status_code == 200:
            page = text(response)
            assert "Write a CV in French" in page
            assert CANARY not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_duo_and_staff_may_add_an_objective(duo, cast, client_as, role):
    response = client_as(cast.users()[role]).post(
        en("duos:plan", duo.pk),
        {"title": "Open a bank account", "status": "planned", "carried_by": "both"},
    )
    allowed = PARTIES_AND_STAFF[role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    assert Objective.objects.filter(duo=duo).exists() == allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_the_duo_and_staff_may_edit_an_objective(duo, cast, client_as, role):
    obj = objective(duo, cast.carla)
    response = client_as(cast.users()[role]).post(
        en("duos:objective_edit", duo.pk, obj.pk), form_data(obj, status="in_progress")
    )
    allowed = PARTIES_AND_STAFF[role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 404)
    obj.refresh_from_db()
    assert (obj.status == "in_progress") == allowed


def test_the_mentee_adds_an_objective_and_its_first_revision_is_kept(duo, cast, client_as):
    due = duo.started_on + datetime.timedelta(days=30)
    response = client_as(cast.amina).post(
        en("duos:plan", duo.pk),
        {
            "title": "Find a French course",
            "need": "language",
            "why": "To speak at work",
            "steps": "Ask the city hall\nEnrol",
            "due_on": due.isoformat(),
            "status": "planned",
            "carried_by": "mentee",
        },
    )
    assert response.status_code == 302
    obj = Objective.objects.get(duo=duo)
    assert (obj.title, obj.need, obj.due_on, obj.version) == (
        "Find a French course",
        "language",
        due,
        1,
    )
    revision = obj.revisions.get()
    assert (revision.version, revision.by, revision.data["due_on"]) == (
        1,
        cast.amina,
        due.isoformat(),
    )
    page = client_as(cast.marek).get(en("duos:plan", duo.pk)).content.decode()
    assert "Find a French course" in page and "Ask the city hall" in page


def test_an_htmx_add_returns_only_the_plan(duo, cast, client_as):
    response = client_as(cast.marek).post(
        en("duos:plan", duo.pk),
        {"title": "Visit a job fair", "status": "planned", "carried_by": "both"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = text(response)
    assert 'id="plan"' in page and "Visit a job fair" in page
    assert "<html" not in page
    assert Objective.objects.filter(duo=duo, title="Visit a job fair").exists()


@pytest.mark.parametrize(
    "days, message",
    [(-1, "cannot be before the duo's start"), (400, "cannot be after the duo's planned end")],
)
def test_a_due_date_outside_the_duos_period_is_refused(duo, cast, client_as, days, message):
    due = duo.started_on + datetime.timedelta(days=days)
    response = client_as(cast.marek).post(
        en("duos:plan", duo.pk),
        {
            "title": "Too early or late",
            "due_on": due.isoformat(),
            "status": "planned",
            "carried_by": "both",
        },
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Objective.objects.exists()
    assert not ObjectiveRevision.objects.exists()


def test_an_edit_with_a_date_outside_the_period_changes_nothing(duo, cast, client_as):
    obj = objective(duo, cast.marek)
    late = duo.planned_end_on + datetime.timedelta(days=1)
    response = client_as(cast.marek).post(
        en("duos:objective_edit", duo.pk, obj.pk),
        form_data(obj, due_on=late.isoformat(), title="Changed"),
    )
    assert "cannot be after the duo's planned end" in text(response)
    obj.refresh_from_db()
    assert (obj.title, obj.due_on, obj.version) == ("Write a CV in French", None, 1)
    assert obj.revisions.count() == 1


def test_a_need_outside_the_programmes_needs_is_refused(duo, cast):
    with pytest.raises(DuoError):
        objective(duo, cast.marek, need="housing")
    assert not Objective.objects.exists()


def test_nothing_is_added_or_changed_on_a_closed_duo(duo, cast, client_as):
    obj = objective(duo, cast.marek)
    close(duo)
    response = client_as(cast.marek).post(
        en("duos:plan", duo.pk),
        {"title": "After the end", "status": "planned", "carried_by": "both"},
    )
    assert "This duo is closed" in text(response)
    response = client_as(cast.carla).post(
        en("duos:objective_edit", duo.pk, obj.pk), form_data(obj, title="Renamed")
    )
    assert "This duo is closed" in text(response)
    obj.refresh_from_db()
    assert obj.title == "Write a CV in French"
    assert Objective.objects.count() == 1


def test_a_duo_closed_after_it_was_loaded_still_refuses_changes(duo, cast):
    # The request loaded the duo open; a closure committed before the save.
    obj = objective(duo, cast.marek)
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED)
    assert duo.status != Duo.Status.CLOSED
    with pytest.raises(DuoError):
        objective_create(duo=duo, actor=cast.marek, title="Late", status="planned")
    with pytest.raises(DuoError):
        objective_update(objective=obj, actor=cast.marek, expected_version=1, title="Late")
    assert Objective.objects.count() == 1


def test_the_second_save_of_two_open_forms_is_told_of_the_conflict(duo, cast, client_as):
    obj = objective(duo, cast.carla)
    url = en("duos:objective_edit", duo.pk, obj.pk)
    marek, amina = client_as(cast.marek), client_as(cast.amina)
    # Both open the form at version 1.
    assert marek.get(url).status_code == amina.get(url).status_code == 200
    assert marek.post(url, form_data(obj, status="achieved")).status_code == 302
    response = amina.post(url, form_data(obj, title="My own title"))
    assert response.status_code == 200
    page = text(response)
    assert "Marek Nowak saved this objective while you were editing" in page
    assert "status" in page.split("changed:")[1].split(")")[0]
    assert "My own title" in page  # her input is kept
    obj.refresh_from_db()
    assert (obj.title, obj.status, obj.version) == ("Write a CV in French", "achieved", 2)
    # Saving again, now knowingly, from the form that carries the current version.
    form = response.context["form"]
    assert form.data["version"] == "2"
    assert amina.post(url, dict(form.data.items())).status_code == 302
    obj.refresh_from_db()
    assert (obj.title, obj.version) == ("My own title", 3)


def test_the_service_refuses_a_stale_version_and_names_what_changed(duo, cast):
    obj = objective(duo, cast.carla)
    objective_update(objective=obj, actor=cast.marek, expected_version=1, status="in_progress")
    stale = Objective.objects.get(pk=obj.pk)
    with pytest.raises(EditConflict) as caught:
        objective_update(objective=stale, actor=cast.amina, expected_version=1, title="X")
    assert caught.value.current_version == 2
    assert caught.value.changed == [str(Objective._meta.get_field("status").verbose_name)]
    stale.refresh_from_db()
    assert (stale.title, stale.status) == ("Write a CV in French", "in_progress")


def test_each_save_is_kept_in_the_history_with_who_and_when(duo, cast, client_as):
    obj = objective(duo, cast.amina)
    objective_update(objective=obj, actor=cast.marek, expected_version=1, status="in_progress")
    objective_update(
        objective=obj, actor=cast.carla, expected_version=2, status="recalibrated", steps="New step"
    )
    assert list(obj.revisions.values_list("version", "by__email")) == [
        (3, "carla@a.example"),
        (2, "marek@a.example"),
        (1, "amina@a.example"),
    ]
    page = client_as(cast.amina).get(en("duos:objective_history", duo.pk, obj.pk)).content.decode()
    for name in ("Amina Haddad", "Marek Nowak", "Carla Coordinatrice", "Recalibrated", "New step"):
        assert name in page
    assert "Version 3" in page


def test_an_objective_of_another_duo_is_not_found(duo, cast, client_as):
    obj = objective(duo, cast.carla)
    nadia = participant_create(
        programme=cast.programme, role="mentee", first_name="Nadia", last_name="Test"
    )
    other = Duo.objects.create(
        programme=cast.programme, mentor=cast.marek_participant, mentee=nadia
    )
    assert client_as(cast.carla).get(en("duos:objective_edit", other.pk, obj.pk)).status_code == 404


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_the_mentee_adds_an_objective_on_a_phone_in_arabic(cast, live_server, page_factory):
    from binome.testing import PASSWORD, make_duo

    duo = make_duo(cast)
    objective(duo, cast.marek, steps="Ask the city hall\nEnrol")
    with translation.override("ar"):
        url = reverse("duos:plan", args=[duo.pk])
    phone = page_factory(width=360, height=740, locale="ar")
    # A person lands in her own language after login: hers is the one the journey reads.
    User.objects.filter(email="amina@a.example").update(language="ar")
    phone.goto(f"{live_server.url}/ar/accounts/login/?next={url}")
    phone.fill("#id_username", "amina@a.example")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"**{url}")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    phone.click("details.add-objective summary")
    phone.fill("#id_title", "Find a French course")
    phone.click("details.add-objective button[type=submit]")
    # The list is replaced in place (htmx): the new objective appears without a page load.
    phone.wait_for_selector("text=Find a French course")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="/tmp/plan_ar_360.png", full_page=True)
    assert Objective.objects.filter(duo=duo, title="Find a French course").exists()
