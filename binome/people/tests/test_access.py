import pytest
from django.http import Http404

from binome.accounts import roles
from binome.people import access as people_access
from binome.programmes import access as programmes_access

pytestmark = pytest.mark.django_db


def test_a_coordinator_reaches_her_programme_and_its_participants(cast_once):
    assert (
        programmes_access.access_programme(cast_once.carla, cast_once.programme.pk)
        == cast_once.programme
    )
    assert people_access.access_participant(cast_once.carla, cast_once.amina_participant.pk).pk == (
        cast_once.amina_participant.pk
    )


def test_another_organisation_gets_the_same_404_as_a_missing_record(cast_once):
    with pytest.raises(Http404):
        programmes_access.access_programme(cast_once.olga, cast_once.programme.pk)
    with pytest.raises(Http404):
        people_access.access_participant(cast_once.olga, cast_once.amina_participant.pk)
    with pytest.raises(Http404):
        people_access.access_participant(cast_once.olga, 999_999)


def test_a_viewer_sees_figures_but_not_people(cast_once):
    assert programmes_access.access_programme(
        cast_once.vera, cast_once.programme.pk, roles=roles.FIGURES_ROLES
    )
    with pytest.raises(Http404):
        programmes_access.access_programme(cast_once.vera, cast_once.programme.pk)
    with pytest.raises(Http404):
        people_access.access_participant(cast_once.vera, cast_once.amina_participant.pk)


def test_mentors_and_mentees_reach_only_their_own_record(cast_once):
    assert people_access.own_participant(cast_once.amina) == cast_once.amina_participant
    assert people_access.own_participant(cast_once.marek) == cast_once.marek_participant
    with pytest.raises(Http404):
        people_access.access_participant(cast_once.marek, cast_once.amina_participant.pk)
    with pytest.raises(Http404):
        people_access.own_participant(cast_once.carla)


def test_only_staff_may_see_sensitive_fields(cast_once):
    org = cast_once.org_a.pk
    assert roles.may_see_sensitive(cast_once.carla, org)
    assert roles.may_see_sensitive(cast_once.adam, org)
    assert not roles.may_see_sensitive(cast_once.vera, org)
    assert not roles.may_see_sensitive(cast_once.marek, org)
    assert not roles.may_see_sensitive(cast_once.amina, org)
    assert not roles.may_see_sensitive(cast_once.olga, org)


def test_programmes_for_lists_only_the_users_organisations(cast_once):
    assert list(programmes_access.programmes_for(cast_once.carla)) == [cast_once.programme]
    assert list(programmes_access.programmes_for(cast_once.olga)) == [cast_once.programme_b]
    assert list(programmes_access.programmes_for(cast_once.amina)) == []
