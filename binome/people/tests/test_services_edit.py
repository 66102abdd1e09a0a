"""Services added for the coordinator screens: guarded edit, team members, intake interview."""

import pytest
from django.core.exceptions import ValidationError

from binome.core.errors import EditConflict
from binome.core.models import AuditEvent
from binome.people import services
from binome.people.models import Participant, TeamMember

pytestmark = pytest.mark.django_db


def test_an_edit_from_a_stale_version_raises_and_changes_nothing(cast):
    amina = cast.amina_participant
    stale = amina.version
    services.participant_update(participant=amina, actor=cast.adam, skills="Adam")
    with pytest.raises(EditConflict) as caught:
        services.participant_edit(
            participant=amina, actor=cast.carla, version=stale, skills="Carla"
        )
    amina.refresh_from_db()
    assert amina.skills == "Adam"
    assert caught.value.current_version == amina.version


def test_an_edit_without_a_version_is_refused(cast):
    with pytest.raises(EditConflict):
        services.participant_edit(
            participant=cast.amina_participant, actor=cast.carla, version=None, skills="x"
        )


def test_replacing_team_members_is_atomic(cast):
    team = services.participant_create(
        programme=cast.programme,
        role="mentor",
        kind="team",
        team_name="Team",
        members=[{"name": "Kept"}],
    )
    with pytest.raises(ValidationError):
        services.team_members_replace(
            participant=team,
            actor=cast.carla,
            members=[{"name": "Fine"}, {"name": "Bad", "email": "not-an-email"}],
        )
    assert list(TeamMember.objects.values_list("name", flat=True)) == ["Kept"]


def test_the_intake_records_consents_and_both_steps_of_the_pipeline(cast):
    amina = cast.amina_participant
    services.participant_intake_record(
        participant=amina,
        actor=cast.carla,
        version=amina.version,
        consents=["contact"],
        consent_method="paper",
        ready=True,
        skills="Cooking",
    )
    amina.refresh_from_db()
    assert amina.status == Participant.Status.READY
    assert amina.consents.get().method == "paper"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"participant.update", "participant.status", "consent.record"} <= actions


def test_an_intake_for_someone_already_matched_does_not_touch_the_status(cast):
    marek = cast.marek_participant
    services.participant_set_status(participant=marek, to_status="matched", actor=cast.carla)
    marek.refresh_from_db()
    services.participant_intake_record(
        participant=marek,
        actor=cast.carla,
        version=marek.version,
        consents=[],
        consent_method="oral",
        ready=True,
        skills="More",
    )
    marek.refresh_from_db()
    assert marek.status == "matched"
    assert marek.skills == "More"
