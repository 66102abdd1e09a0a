import pytest

from binome.matching.models import Proposal
from binome.people import services as people
from binome.people.models import Participant
from binome.testing import SLOTS


def make_matchable(cast) -> None:
    """Give Marek and Amina profiles that fit, and put Amina in the pool."""
    amina, marek = cast.amina_participant, cast.marek_participant
    people.participant_update(
        participant=marek,
        actor=cast.carla,
        availability=SLOTS,
        offers=["employment", "language"],
        mode_preference=Participant.Mode.EITHER,
        interests=["football"],
    )
    people.participant_update(
        participant=amina,
        actor=cast.carla,
        availability=SLOTS,
        mode_preference=Participant.Mode.EITHER,
        interests=["football"],
        sector="2221",
    )
    people.participant_set_status(
        participant=amina, to_status=Participant.Status.READY, actor=cast.carla
    )


@pytest.fixture
def matchable(cast):
    make_matchable(cast)
    return cast


def make_proposal(cast, mentee=None, mentor=None) -> Proposal:
    return Proposal.objects.create(
        programme=cast.programme,
        mentee=mentee or cast.amina_participant,
        mentor=mentor or cast.marek_participant,
        score=70,
        explanation_parts=[
            {"key": "shared_language", "params": {"languages": ["ar", "fr"]}},
            {"key": "distance_km", "params": {"km": 3}},
        ],
        created_by=cast.carla,
    )


@pytest.fixture
def proposal(matchable):
    return make_proposal(matchable)


def run_done(cast, actor=None):
    """Queue a matching run of the cast's programme and run it as a worker would."""
    from binome.matching import services
    from binome.testing import run_tasks

    run = services.matching_run_request(programme=cast.programme, actor=actor or cast.carla)
    run_tasks()
    run.refresh_from_db()
    return run
