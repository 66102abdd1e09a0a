import pytest
from django.http import Http404

from binome.accounts import roles
from binome.people import access as people_access
from binome.programmes import access as programmes_access

pytestmark = pytest.mark.django_db


def test_a_coordinator_reaches_her_programme_and_its_participants(cast):
    assert programmes_access.access_programme(cast.carla, cast.programme.pk) == cast.programme
    assert people_access.access_participant(cast.carla, cast.amina_participant.pk).pk == (
        cast.amina_participant.pk
    )


def test_another_organisation_gets_the_same_404_as_a_missing_record(cast):
    with pytest.raises(Http404):
        programmes_access.access_programme(cast.olga, cast.programme.pk)
    with pytest.raises(Http404):
        people_access.access_participant(cast.olga, cast.amina_participant.pk)
    with pytest.raises(Http404):
        people_access.access_participant(cast.olga, 999_999)


def test_a_viewer_sees_figures_but_not_people(cast):
    assert programmes_access.access_programme(
        cast.vera, cast.programme.pk, roles=roles.FIGURES_ROLES
    )
    with pytest.raises(Http404):
        programmes_access.access_programme(cast.vera, cast.programme.pk)
    with pytest.raises(Http404):
        people_access.access_participant(cast.vera, cast.amina_participant.pk)


def test_mentors_and_mentees_reach_only_their_own_record(cast):
    assert people_access.own_participant(cast.amina) == cast.amina_participant
    assert people_access.own_participant(cast.marek) == cast.marek_participant
    with pytest.raises(Http404):
        people_access.access_participant(cast.marek, cast.amina_participant.pk)
    with pytest.raises(Http404):
        people_access.own_participant(cast.carla)


def test_only_staff_may_see_sensitive_fields(cast):
    org = cast.org_a.pk
    assert roles.may_see_sensitive(cast.carla, org)
    assert roles.may_see_sensitive(cast.adam, org)
    assert not roles.may_see_sensitive(cast.vera, org)
    assert not roles.may_see_sensitive(cast.marek, org)
    assert not roles.may_see_sensitive(cast.amina, org)
    assert not roles.may_see_sensitive(cast.olga, org)


def test_programmes_for_lists_only_the_users_organisations(cast):
    assert list(programmes_access.programmes_for(cast.carla)) == [cast.programme]
    assert list(programmes_access.programmes_for(cast.olga)) == [cast.programme_b]
    assert list(programmes_access.programmes_for(cast.amina)) == []
