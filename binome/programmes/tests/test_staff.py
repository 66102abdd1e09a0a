"""Staff programme screens: list, dashboard, create and edit, with their role matrix."""

import pytest
from django.urls import reverse

from binome.accounts.models import Membership
from binome.core.models import AuditEvent
from binome.people import services as people_services
from binome.people.models import Participant
from binome.programmes.models import Organisation, Programme
from conftest import CANARY

pytestmark = pytest.mark.django_db

EXPECTED = {
    # view: {role: status}
    "list": {"coordinator": 200, "viewer": 200, "admin": 200, "outsider": 200},
    "dashboard": {"coordinator": 200, "viewer": 200, "admin": 200},
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
    for name in ("dashboard", "edit"):
        assert olga.get(staff_url(name, cast.programme)).status_code == 404
        assert client_as(cast.carla).get(staff_url(name, cast.programme_b)).status_code == 404
    assert client_as(cast.adam).get(staff_url("edit", cast.programme_b)).status_code == 404
    assert olga.get("/fr/programmes/999999/").status_code == 404


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


def applicant(programme, role, status=Participant.Status.APPLIED, n=0):
    return people_services.participant_create(
        programme=programme,
        role=role,
        first_name=f"Person{n}",
        last_name="Secret-Surname",
        email=f"p{n}@example.org",
        status=status,
    )


def test_the_dashboard_counts_per_status_and_role(cast, client_as):
    for n in range(3):
        applicant(cast.programme, Participant.Role.MENTEE, n=n)
    applicant(cast.programme, Participant.Role.MENTOR, Participant.Status.READY, n=9)
    response = client_as(cast.carla).get(reverse("programmes:dashboard", args=[cast.programme.pk]))
    rows = {row["status"]: row for row in response.context["rows"]}
    # The cast: Amina applied (mentee), Marek ready (mentor).
    assert (rows["applied"]["mentee"], rows["applied"]["mentor"]) == (4, 0)
    assert (rows["ready"]["mentee"], rows["ready"]["mentor"]) == (0, 2)
    assert response.context["totals"] == {"mentee": 4, "mentor": 2, "total": 6}


def test_the_dashboard_links_staff_to_the_participant_list_but_not_viewers(cast, client_as):
    url = reverse("programmes:dashboard", args=[cast.programme.pk])
    participants = f"/programmes/{cast.programme.pk}/participants/"
    assert participants in client_as(cast.carla).get(url).content.decode()
    viewer_page = client_as(cast.vera).get(url).content.decode()
    assert participants not in viewer_page


def test_viewers_see_figures_and_never_names(cast, client_as):
    applicant(cast.programme, Participant.Role.MENTEE, n=1)
    for name in ("list", "dashboard"):
        page = client_as(cast.vera).get(staff_url(name, cast.programme)).content.decode()
        for secret in ("Secret-Surname", "Amina", "Haddad", "Marek", "Nowak"):
            assert secret not in page, (name, secret)


def test_the_dashboard_query_count_does_not_grow_with_participants(
    cast, client_as, django_assert_max_num_queries
):
    url = reverse("programmes:dashboard", args=[cast.programme.pk])
    client = client_as(cast.carla)
    client.get(url)
    for n in range(30):
        applicant(cast.programme, Participant.Role.MENTEE, n=n)
    # 6, and 3 to save the session again (the idle timeout): savepoint, update, release.
    with django_assert_max_num_queries(6 + 3):
        client.get(url)


def test_the_list_query_count_does_not_grow_with_programmes(
    cast, client_as, django_assert_max_num_queries
):
    for n in range(15):
        programme = Programme.objects.create(
            organisation=cast.org_a, name=f"P{n}", slug=f"p{n}", kind="remote", mode="remote"
        )
        applicant(programme, Participant.Role.MENTEE, n=n)
    client = client_as(cast.adam)
    # 6, and 3 to save the session again (the idle timeout): savepoint, update, release.
    with django_assert_max_num_queries(6 + 3):
        response = client.get(reverse("programmes:list"))
    assert response.status_code == 200


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
    assert response["Location"] == reverse("programmes:dashboard", args=[programme.pk])
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
    data.update(kind="intercultural", mode="in_person", city="Marseille")
    del data["applications_open"]
    response = client.post(url, data)
    assert response.status_code == 302
    cast.programme.refresh_from_db()
    assert cast.programme.applications_open is False
    assert cast.programme.themes == ["CV", "Entretien d'embauche"]
    event = AuditEvent.objects.get(action="programme.update")
    assert "applications_open" in event.detail["fields"]
    assert "name" not in event.detail["fields"]


def test_an_edit_with_a_taken_slug_changes_nothing(cast, client_as):
    Programme.objects.create(
        organisation=cast.org_a, name="Autre", slug="autre", kind="remote", mode="remote"
    )
    url = reverse("programmes:edit", args=[cast.programme.pk])
    response = client_as(cast.adam).post(url, programme_data(slug="autre"))
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
