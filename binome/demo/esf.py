"""Demo ESF+ situations: every mentee's employment situation and education level at entry, and
at exit and six months after for the mentees of closed duos and, the demo's calendar being
compressed (as for its closing questionnaires), for most others too. Drawn from a seeded
generator so that the funder report shows figures (the same demo every time)."""

import random

from binome.accounts.models import User
from binome.duos.models import Duo
from binome.evaluation.models import EsfSituation
from binome.evaluation.services import esf_situation_record
from binome.people.models import Participant
from binome.programmes.models import Programme

# Plausible shares among newcomers in a mentoring programme (weights, not statistics).
ENTRY_EMPLOYMENT = {
    "employed": 2,
    "unemployed": 4,
    "long_term": 5,
    "inactive": 4,
    "unknown": 1,
}
ISCED = {"isced_0_1": 2, "isced_2": 3, "isced_3_4": 5, "isced_5_8": 4, "unknown": 1}
# After the duo, work is likelier: the programme's aim.
LATER_EMPLOYMENT = {"employed": 6, "unemployed": 4, "long_term": 2, "inactive": 2}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load_demo_esf(programmes: dict[str, Programme], coordinators: dict[str, User]) -> int:
    """Record the situations missing for the demo's mentees; return how many were recorded."""
    made = 0
    for slug, programme in programmes.items():
        if programme.has_teams:
            continue
        mentees = Participant.objects.filter(
            programme=programme, role=Participant.Role.MENTEE, kind=Participant.Kind.PERSON
        ).exclude(status=Participant.Status.WITHDRAWN)
        if EsfSituation.objects.filter(participant__in=mentees).exists():
            continue
        coordinator = coordinators[programme.organisation.slug]
        closed = set(
            Duo.objects.filter(programme=programme, status=Duo.Status.CLOSED).values_list(
                "mentee_id", flat=True
            )
        )
        rng = random.Random(f"esf:{slug}")
        for mentee in mentees.order_by("pk"):
            isced = _pick(rng, ISCED)
            employment = _pick(rng, ENTRY_EMPLOYMENT)
            moments = [("entry", employment, rng.random() < 0.2, False)]
            if mentee.pk in closed or rng.random() < 0.75:
                moments.append(("exit", _pick(rng, LATER_EMPLOYMENT), rng.random() < 0.3, False))
                if rng.random() < 0.8:
                    later = _pick(rng, LATER_EMPLOYMENT)
                    moments.append(("six_months", later, rng.random() < 0.3, rng.random() < 0.4))
            for moment, situation, in_education, qualification in moments:
                esf_situation_record(
                    participant=mentee,
                    actor=coordinator,
                    moment=moment,
                    employment=situation,
                    isced=isced,
                    in_education=in_education,
                    qualification=qualification,
                    version=0,
                )
                made += 1
    return made
