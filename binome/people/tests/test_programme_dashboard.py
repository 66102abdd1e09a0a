"""A programme's figures: its participants by status and role, for staff and viewers."""

import pytest
from django.urls import reverse

from binome.people import services as people_services
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.testing import CANARY

pytestmark = pytest.mark.django_db

EXPECTED = {"coordinator": 200, "viewer": 200, "admin": 200}


def test_the_dashboard_answers_each_role_exactly(cast, client_as):
    url = reverse("people:programme_dashboard", args=[cast.programme.pk])
    for role, user in cast.users().items():
        response = client_as(user).get(url)
        if user is None:
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("accounts:login")), role
            continue
        assert response.status_code == EXPECTED.get(role, 404), role
        if role != "outsider":
            assert CANARY not in response.content.decode(), role


def test_the_outsider_gets_404_on_the_dashboard_of_another_organisation(cast, client_as):
    url = reverse("people:programme_dashboard", args=[cast.programme.pk])
    assert client_as(cast.olga).get(url).status_code == 404
    other = reverse("people:programme_dashboard", args=[cast.programme_b.pk])
    assert client_as(cast.carla).get(other).status_code == 404
    assert client_as(cast.olga).get("/fr/programmes/999999/").status_code == 404


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
    response = client_as(cast.carla).get(
        reverse("people:programme_dashboard", args=[cast.programme.pk])
    )
    rows = {row["status"]: row for row in response.context["rows"]}
    # The cast: Amina applied (mentee), Marek ready (mentor).
    assert (rows["applied"]["mentee"], rows["applied"]["mentor"]) == (4, 0)
    assert (rows["ready"]["mentee"], rows["ready"]["mentor"]) == (0, 2)
    assert response.context["totals"] == {"mentee": 4, "mentor": 2, "total": 6}


def test_the_dashboard_links_staff_to_the_participant_list_but_not_viewers(cast, client_as):
    url = reverse("people:programme_dashboard", args=[cast.programme.pk])
    participants = f"/programmes/{cast.programme.pk}/participants/"
    assert participants in client_as(cast.carla).get(url).content.decode()
    viewer_page = client_as(cast.vera).get(url).content.decode()
    assert participants not in viewer_page


def test_viewers_see_figures_and_never_names(cast, client_as):
    applicant(cast.programme, Participant.Role.MENTEE, n=1)
    pages = {
        "list": reverse("programmes:list"),
        "dashboard": reverse("people:programme_dashboard", args=[cast.programme.pk]),
    }
    for name, url in pages.items():
        page = client_as(cast.vera).get(url).content.decode()
        for secret in ("Secret-Surname", "Amina", "Haddad", "Marek", "Nowak"):
            assert secret not in page, (name, secret)


def test_the_dashboard_query_count_does_not_grow_with_participants(
    cast, client_as, django_assert_max_num_queries
):
    url = reverse("people:programme_dashboard", args=[cast.programme.pk])
    client = client_as(cast.carla)
    client.get(url)
    for n in range(30):
        applicant(cast.programme, Participant.Role.MENTEE, n=n)
    # 6, 4 for the to-dos (people, matching, duos, partners' referrals: one each), and 3 to save
    # the session again (the idle timeout): savepoint, update, release.
    with django_assert_max_num_queries(6 + 4 + 3):
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
    # 6, 3 for the to-dos (people, matching, duos: one each), and 3 to save the session again
    # (the idle timeout): savepoint, update, release.
    with django_assert_max_num_queries(6 + 3 + 3):
        response = client.get(reverse("programmes:list"))
    assert response.status_code == 200
