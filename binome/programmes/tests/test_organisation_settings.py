"""An organisation's settings page: its admins require two-step login there, with locking."""

import pytest
from django.urls import reverse

from binome.core.models import AuditEvent
from binome.programmes.models import Organisation
from binome.testing import CANARY, STAFF_ONLY

pytestmark = pytest.mark.django_db

ADMINS_ONLY = {**STAFF_ONLY, "coordinator": 404}


def settings_url(organisation) -> str:
    return reverse("programmes:organisation_settings", args=[organisation.pk])


def test_role_matrix_of_the_settings_page(cast, client_as):
    for role, user in cast.users().items():
        response = client_as(user).get(settings_url(cast.org_a))
        assert response.status_code == ADMINS_ONLY[role], role
        if role != "outsider":
            assert CANARY not in response.content.decode(), role


def test_role_matrix_of_the_reset_of_a_coordinator_s_two_step_login(cast, client_as):
    url = reverse("programmes:two_factor_reset", args=[cast.org_a.pk, cast.carla.pk])
    for role, user in cast.users().items():
        response = client_as(user).post(url)
        expected = {"anonymous": 302, "admin": 302}.get(role, 404)
        assert response.status_code == expected, role
    assert AuditEvent.objects.filter(action="accounts.two_factor.reset").count() == 1


def test_the_settings_page_lists_the_organisation_s_members_only(cast, client_as):
    page = client_as(cast.adam).get(settings_url(cast.org_a)).content.decode()
    assert "Carla Coordinatrice" in page and "Vera Viewer" in page
    assert "Olga" not in page and CANARY not in page


def save(client, organisation, version, require: bool):
    data = {"version": version}
    if require:
        data["require_two_factor"] = "on"
    return client.post(settings_url(organisation), data)


def test_an_admin_requires_two_step_login_and_it_is_audited(cast, client_as):
    response = save(client_as(cast.adam), cast.org_a, 1, True)
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.org_a.pk)
    assert organisation.require_two_factor and organisation.version == 2
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.actor == cast.adam and event.detail["fields"] == ["require_two_factor"]


def test_a_second_admin_saving_an_older_page_is_told_and_nothing_is_overwritten(cast, client_as):
    from binome.accounts.models import Membership, User

    other = User.objects.create_user(email="ines@a.example", password="x", full_name="Ines Admin")
    Membership.objects.create(user=other, organisation=cast.org_a, role=Membership.Role.ADMIN)
    assert save(client_as(cast.adam), cast.org_a, 1, False).status_code == 302

    response = save(client_as(other), cast.org_a, 1, True)

    assert response.status_code == 200
    assert "Adam Admin" in response.content.decode()
    assert Organisation.objects.get(pk=cast.org_a.pk).version == 2
    # Saving again, now knowingly, with the version the form now carries.
    assert save(client_as(other), cast.org_a, 2, True).status_code == 302
    assert Organisation.objects.get(pk=cast.org_a.pk).require_two_factor is True


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999"])
def test_a_missing_or_broken_version_is_out_of_date_never_an_error(cast, client_as, version):
    response = save(client_as(cast.adam), cast.org_a, version, True)
    assert response.status_code == 200
    assert Organisation.objects.get(pk=cast.org_a.pk).require_two_factor is False


def test_the_programmes_list_links_each_admin_to_the_settings(cast, client_as):
    page = client_as(cast.adam).get(reverse("programmes:list")).content.decode()
    assert settings_url(cast.org_a) in page
    page = client_as(cast.carla).get(reverse("programmes:list")).content.decode()
    assert settings_url(cast.org_a) not in page
