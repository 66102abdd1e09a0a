"""Staff programme screens: list, create and edit, with their role matrix."""

import pytest
from django.urls import reverse

from binome.accounts.models import Membership
from binome.core.models import AuditEvent
from binome.programmes.models import Organisation, Programme
from binome.testing import CANARY

pytestmark = pytest.mark.django_db

EXPECTED = {
    # view: {role: status}
    "list": {"coordinator": 200, "viewer": 200, "admin": 200, "outsider": 200},
    "create": {"admin": 200},
    "edit": {"admin": 200},
}


def staff_url(name: str, programme) -> str:
    if name in ("list", "create"):
        return reverse(f"programmes:{name}")
    return reverse(f"programmes:{name}", args=[programme.pk])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_staff_screens_answer_each_role_exactly(cast, client_as, name):
    url = staff_url(name, cast.programme)
    for role, user in cast.users().items():
        response = client_as(user).get(url)
        if user is None:
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("accounts:login")), role
            continue
        assert response.status_code == EXPECTED[name].get(role, 404), role
        if role != "outsider":
            assert CANARY not in response.content.decode(), role


def test_the_outsider_gets_404_on_every_programme_of_another_organisation(cast, client_as):
    olga = client_as(cast.olga)
    assert olga.get(staff_url("edit", cast.programme)).status_code == 404
    assert client_as(cast.carla).get(staff_url("edit", cast.programme_b)).status_code == 404
    assert client_as(cast.adam).get(staff_url("edit", cast.programme_b)).status_code == 404
    assert olga.get("/fr/programmes/999999/edit/").status_code == 404


def test_the_list_shows_only_the_programmes_of_the_users_organisations(cast, client_as):
    page = client_as(cast.carla).get(reverse("programmes:list")).content.decode()
    assert "Mentorat interculturel" in page
    assert CANARY not in page
    page = client_as(cast.olga).get(reverse("programmes:list")).content.decode()
    assert "Mentorat interculturel" not in page


def test_only_admins_are_offered_to_create_and_edit(cast, client_as):
    new = reverse("programmes:create")
    edit = reverse("programmes:edit", args=[cast.programme.pk])
    admin_page = client_as(cast.adam).get(reverse("programmes:list")).content.decode()
    assert new in admin_page and edit in admin_page
    for user in (cast.carla, cast.vera):
        page = client_as(user).get(reverse("programmes:list")).content.decode()
        assert new not in page and edit not in page


def programme_data(**changes) -> dict:
    data = {
        "name": "Mentorat professionnel",
        "slug": "",
        "kind": "professional",
        "description": "Un binôme avec un professionnel.",
        "audience": "Demandeurs d'asile",
        "commitment": "Six mois",
        "languages": ["fr", "ar", "prs"],
        "mode": "hybrid",
        "city": "Bruxelles",
        "duration_months": "6",
        "meetings_per_month": "2",
        "default_mentor_capacity": "1",
        "needs": ["employment", "professional_network"],
        "themes": "CV\nEntretien d'embauche\n\ncv\n",
        "applications_open": "on",
        "listed": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_an_admin_creates_a_programme_with_an_audit_row(cast, client_as):
    response = client_as(cast.adam).post(reverse("programmes:create"), programme_data())
    programme = Programme.objects.get(name="Mentorat professionnel")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:programme_dashboard", args=[programme.pk])
    assert programme.organisation == cast.org_a
    assert programme.slug == "mentorat-professionnel"
    assert programme.languages == ["fr", "ar", "prs"]
    assert programme.needs == ["employment", "professional_network"]
    assert programme.themes == ["CV", "Entretien d'embauche"]
    assert programme.listed and programme.applications_open
    event = AuditEvent.objects.get(action="programme.create", target_id=str(programme.pk))
    assert event.actor == cast.adam
    assert event.organisation == cast.org_a


@pytest.mark.parametrize("user", ["carla", "vera", "marek", "olga"])
def test_a_non_admin_cannot_create_a_programme(cast, client_as, user):
    response = client_as(getattr(cast, user)).post(reverse("programmes:create"), programme_data())
    assert response.status_code == 404
    assert not Programme.objects.filter(name="Mentorat professionnel").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"duration_months": "0"}, "duration_months", "greater than or equal to 1"),
        ({"meetings_per_month": "-1"}, "meetings_per_month", "greater than or equal to 0"),
        ({"languages": ["xx"]}, "languages", "Select a valid choice."),
        ({"slug": "mentorat-interculturel"}, "slug", "already uses this short name"),
        ({"slug": "pas un slug"}, "slug", "Enter a valid"),
    ],
)
def test_bad_programme_settings_are_explained_and_nothing_is_saved(
    cast, client_as, changes, field, message
):
    url = "/en" + reverse("programmes:create")[3:]
    response = client_as(cast.adam).post(url, programme_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'role="alert"' in response.content.decode()
    assert not Programme.objects.filter(description="Un binôme avec un professionnel.").exists()
    assert not AuditEvent.objects.filter(action="programme.create").exists()


def test_an_admin_of_two_organisations_chooses_among_hers_only(cast, client_as):
    second = Organisation.objects.create(name="Centre Bruxelles", slug="bxl")
    Membership.objects.create(user=cast.adam, organisation=second, role=Membership.Role.ADMIN)
    Membership.objects.create(user=cast.adam, organisation=cast.org_b, role="coordinator")
    client = client_as(cast.adam)
    page = client.get(reverse("programmes:create")).content.decode()
    assert "Centre Bruxelles" in page and "Hors Pistes" in page
    assert CANARY not in page
    # Org B, where Adam is only a coordinator, is refused.
    response = client.post(reverse("programmes:create"), programme_data(organisation=cast.org_b.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    response = client.post(reverse("programmes:create"), programme_data(organisation=second.pk))
    assert response.status_code == 302
    assert Programme.objects.get(name="Mentorat professionnel").organisation == second


def test_an_admin_edits_a_programme_and_the_audit_names_the_fields(cast, client_as):
    url = reverse("programmes:edit", args=[cast.programme.pk])
    client = client_as(cast.adam)
    page = client.get(url).content.decode()
    assert 'value="Mentorat interculturel"' in page
    data = programme_data(name="Mentorat interculturel", slug="mentorat-interculturel")
    data.update(kind="intercultural", mode="in_person", city="Marseille", version=1)
    del data["applications_open"]
    response = client.post(url, data)
    assert response.status_code == 302
    cast.programme.refresh_from_db()
    assert cast.programme.applications_open is False
    event = AuditEvent.objects.get(action="programme.update")
    assert "applications_open" in event.detail["fields"]
    assert "name" not in event.detail["fields"]


def test_an_edit_with_a_taken_slug_changes_nothing(cast, client_as):
    Programme.objects.create(
        organisation=cast.org_a, name="Autre", slug="autre", kind="remote", mode="remote"
    )
    url = reverse("programmes:edit", args=[cast.programme.pk])
    response = client_as(cast.adam).post(url, programme_data(slug="autre", version=1))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    cast.programme.refresh_from_db()
    assert cast.programme.slug == "mentorat-interculturel"
    assert cast.programme.name == "Mentorat interculturel"


@pytest.mark.parametrize("user", ["carla", "vera", "amina", "olga"])
def test_a_non_admin_cannot_edit_a_programme(cast, client_as, user):
    url = reverse("programmes:edit", args=[cast.programme.pk])
    response = client_as(getattr(cast, user)).post(url, programme_data())
    assert response.status_code == 404
    cast.programme.refresh_from_db()
    assert cast.programme.name == "Mentorat interculturel"


def current_settings(programme, **changes) -> dict:
    """What the edit form posts for the programme as it is now, with some changes."""
    data = programme_data(
        name=programme.name,
        slug=programme.slug,
        kind=programme.kind,
        mode=programme.mode,
        city=programme.city,
        description=programme.description,
        languages=programme.languages,
        needs=programme.needs,
        version=programme.version,
    )
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_second_of_two_programme_edits_opened_together_is_refused_and_keeps_its_input(
    cast, client_as
):
    ines = Membership.objects.create(
        user=type(cast.adam).objects.create_user(email="ines@a.example", full_name="Ines Admin"),
        organisation=cast.org_a,
        role=Membership.Role.ADMIN,
    ).user
    url = "/en" + reverse("programmes:edit", args=[cast.programme.pk])[3:]
    adam, other = client_as(cast.adam), client_as(ines)
    assert adam.get(url).status_code == other.get(url).status_code == 200
    opened = current_settings(cast.programme)  # both forms carry version 1
    assert adam.post(url, {**opened, "city": "Aix-en-Provence"}).status_code == 302
    response = other.post(url, {**opened, "description": "Her own description"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Adam Admin saved this programme while you were editing" in page
    assert "city" in page.split("changed:")[1].split(")")[0]
    assert "Her own description" in page  # her input is kept
    cast.programme.refresh_from_db()
    assert (cast.programme.city, cast.programme.version) == ("Aix-en-Provence", 2)
    assert cast.programme.description == opened["description"]  # not overwritten
    # Saving again, knowingly, from the form that now carries the current version.
    form = response.context["form"]
    assert form.data["version"] == "2"
    assert other.post(url, form.data).status_code == 302
    cast.programme.refresh_from_db()
    assert (cast.programme.description, cast.programme.version) == ("Her own description", 3)


def test_the_edit_form_carries_its_version_hidden(cast, client_as):
    page = client_as(cast.adam).get(reverse("programmes:edit", args=[cast.programme.pk]))
    assert '<input type="hidden" name="version" value="1"' in page.content.decode()


def test_the_service_refuses_a_stale_programme_version_and_names_what_changed(cast):
    from binome.core.errors import EditConflict
    from binome.programmes.services import programme_update

    programme_update(programme=cast.programme, actor=cast.adam, expected_version=1, city="Aix")
    stale = Programme.objects.get(pk=cast.programme.pk)
    with pytest.raises(EditConflict) as caught:
        programme_update(programme=stale, actor=cast.carla, expected_version=1, listed=False)
    assert caught.value.current_version == 2
    assert caught.value.changed == [str(Programme._meta.get_field("city").verbose_name)]
    assert caught.value.by == "Adam Admin"
    stale.refresh_from_db()
    assert (stale.city, stale.listed, stale.version) == ("Aix", True, 2)


def test_a_null_character_in_a_theme_is_refused_on_the_field_and_nothing_is_created(
    cast, client_as
):
    url = "/en" + reverse("programmes:create")[3:]
    data = programme_data()
    data["themes"] = "CV\nEntre\x00tien\n"
    response = client_as(cast.adam).post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Null characters are not allowed." in " ".join(errors["themes"]), errors
    assert 'role="alert"' in response.content.decode()
    assert not Programme.objects.filter(name="Mentorat professionnel").exists()


def test_invisible_control_characters_are_removed_from_themes(cast, client_as):
    data = programme_data()
    data["themes"] = "C\x01V\nEntretien\x9f d'embauche\n"
    assert client_as(cast.adam).post(reverse("programmes:create"), data).status_code == 302
    programme = Programme.objects.get(name="Mentorat professionnel")
    assert programme.themes == ["CV", "Entretien d'embauche"]
    themes = programme.vocabulary_items.filter(vocabulary="themes")
    assert list(themes.values_list("label", flat=True)) == ["CV", "Entretien d'embauche"]
