import pytest

from binome.core.models import AuditEvent
from binome.people import services
from binome.people.models import Participant

pytestmark = pytest.mark.django_db
Status = Participant.Status


def test_each_status_change_is_timestamped_with_who_made_it(cast):
    amina = cast.amina_participant
    services.participant_set_status(
        participant=amina, to_status=Status.INTERVIEWED, actor=cast.carla
    )
    services.participant_set_status(participant=amina, to_status=Status.READY, actor=cast.carla)
    changes = list(amina.status_changes.values_list("from_status", "to_status", "by"))
    assert changes == [
        ("", Status.APPLIED, None),
        (Status.APPLIED, Status.INTERVIEWED, cast.carla.pk),
        (Status.INTERVIEWED, Status.READY, cast.carla.pk),
    ]
    amina.refresh_from_db()
    assert amina.status == Status.READY
    assert amina.interviewed_at is not None


def test_a_change_the_pipeline_forbids_is_refused_and_nothing_is_saved(cast):
    amina = cast.amina_participant
    with pytest.raises(services.TransitionError):
        services.participant_set_status(
            participant=amina, to_status=Status.ACTIVE, actor=cast.carla
        )
    amina.refresh_from_db()
    assert amina.status == Status.APPLIED
    assert amina.status_changes.count() == 1


def test_withdrawn_and_rejected_are_reachable_from_the_early_steps(cast):
    for status in (Status.APPLIED, Status.INTERVIEWED, Status.READY):
        assert Status.WITHDRAWN in services.TRANSITIONS[status]
        assert Status.REJECTED in services.TRANSITIONS[status]


def test_the_audit_log_names_changed_fields_but_never_their_values(cast):
    services.participant_update(
        participant=cast.amina_participant,
        actor=cast.carla,
        legal_status=Participant.LegalStatus.REFUGEE,
    )
    event = AuditEvent.objects.filter(action="participant.update").latest("at")
    assert event.detail == {"fields": ["legal_status"]}
    assert "refugee" not in str(event.detail)


def test_a_city_gets_its_coordinates_from_the_offline_list(cast):
    amina = cast.amina_participant
    assert amina.latitude == pytest.approx(43.3, abs=0.1)
    services.participant_update(participant=amina, actor=cast.carla, city="Bruxelles")
    amina.refresh_from_db()
    assert amina.latitude == pytest.approx(50.85, abs=0.1)


def test_a_consent_can_be_withdrawn_and_the_record_is_kept(cast):
    consent = services.consent_record(
        participant=cast.amina_participant,
        purpose="data_processing",
        text="I agree",
        method="oral",
        actor=cast.carla,
    )
    services.consent_withdraw(consent=consent, actor=cast.carla)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.recorded_by == cast.carla
