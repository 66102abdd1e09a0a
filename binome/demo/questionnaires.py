"""Demo questionnaires: the library attached to the seed programmes and answered at two or three
moments, so that a programme's evaluation shows every figure.

"Mentorat interculturel": the integration self-assessment at intake, closure and follow-up
(mentees), the duo pulse at mid-term and closure (mentees and mentors: over 30 people answer
both), the mentor self-evaluation at intake and closure. The city-to-city programme: the needs
analysis at intake and closure for four mentee teams only, a group small enough to be
suppressed. The other programmes get the same attachments with fewer answers. Answers are drawn
from a seeded generator: the same demo every time; most people improve a little, some do not.
"""

import datetime
import random

from django.utils import timezone

from binome.accounts.models import User
from binome.duos.models import Duo, Objective
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.questionnaires import services
from binome.questionnaires.models import Assignment, GoalScale, Questionnaire, Response

# programme slug → [(questionnaire key, moment, role, every_weeks)]
ASSIGNMENTS: dict[str, list[tuple[str, str, str, int | None]]] = {
    "mentorat-interculturel": [
        ("integration", "intake", "mentee", None),
        ("integration", "closure", "mentee", None),
        ("integration", "follow_up", "mentee", None),
        ("duo_pulse", "mid_term", "mentee", None),
        ("duo_pulse", "closure", "mentee", None),
        ("duo_pulse", "mid_term", "mentor", None),
        ("duo_pulse", "closure", "mentor", None),
        ("mentor_self", "intake", "mentor", None),
        ("mentor_self", "closure", "mentor", None),
    ],
    "mentorat-professionnel-n2wa": [
        ("integration", "intake", "mentee", None),
        ("integration", "closure", "mentee", None),
        ("duo_pulse", "every_n_weeks", "mentee", 6),
    ],
    "mentorat-ville-a-ville": [
        ("city_needs", "intake", "team", None),
        ("city_needs", "closure", "team", None),
        ("city_experience", "intake", "team", None),
    ],
    "mentorat-a-distance": [
        ("integration", "intake", "mentee", None),
        ("integration", "mid_term", "mentee", None),
        ("integration", "closure", "mentee", None),
        ("duo_pulse", "mid_term", "mentor", None),
    ],
}
# How many people answer (None: everyone of the role); the city-to-city group stays under 5.
ANSWERING: dict[str, int | None] = {
    "mentorat-interculturel": None,
    "mentorat-professionnel-n2wa": 12,
    "mentorat-ville-a-ville": 4,
    "mentorat-a-distance": 10,
}
# Days after applying at which each moment is answered (a plausible calendar).
MOMENT_DAYS = {
    "application": 0,
    "intake": 14,
    "mid_term": 100,
    "closure": 190,
    "follow_up": 280,
    "every_n_weeks": 56,
}
HELP_TEXTS = [
    "Un travail stable.",
    "Trouver un logement plus grand.",
    "Parler mieux français.",
    "Faire reconnaître mon diplôme.",
    "",
]


def _values(questionnaire: Questionnaire, level: float, rng: random.Random) -> dict[str, list[str]]:
    version = questionnaire.current_version()
    assert version is not None
    values: dict[str, list[str]] = {}
    for item in version.items.all():
        if rng.random() < 0.04:
            continue  # now and then a question left blank
        if item.kind == "likert":
            point = round(level + rng.gauss(0, 0.7))
            values[item.key] = [str(min(max(point, item.min_value or 1), item.max_value or 5))]
        elif item.kind == "single":
            chance = (level - 1) / 4
            values[item.key] = [
                item.options[0]["value"] if rng.random() < chance else item.options[1]["value"]
            ]
        elif item.is_text:
            values[item.key] = [rng.choice(HELP_TEXTS)]
    return values


def _people(programme: Programme, role: str) -> list[Participant]:
    # Everyone but those who withdrew: the demo's calendar is compressed, so people still in
    # the pipeline answer too, and the evaluation has enough pairs to show its figures.
    people = Participant.objects.filter(programme=programme).exclude(
        status=Participant.Status.WITHDRAWN
    )
    if role == "team":
        people = people.filter(kind=Participant.Kind.TEAM, role=Participant.Role.MENTEE)
    else:
        people = people.filter(kind=Participant.Kind.PERSON, role=role)
    return list(people.order_by("pk"))


def load_demo_questionnaires(
    programmes: dict[str, Programme], coordinators: dict[str, User]
) -> int:
    """Attach and answer the demo questionnaires that are missing; return the responses made."""
    services.library_load()
    library = {q.key: q for q in Questionnaire.objects.filter(organisation__isnull=True)}
    now = timezone.now()
    made = 0
    for slug, rows in ASSIGNMENTS.items():
        programme = programmes.get(slug)
        if programme is None:
            continue
        coordinator = coordinators[programme.organisation.slug]
        if Assignment.objects.filter(programme=programme).exists():
            continue
        rng = random.Random(f"questionnaires:{slug}")
        baseline: dict[int, float] = {}
        for key, moment, role, weeks in rows:
            assignment = services.assignment_add(
                programme=programme,
                questionnaire=library[key],
                moment=moment,
                role=role,
                every_weeks=weeks,
                by=coordinator,
            )
            people = _people(programme, role)[: ANSWERING[slug]]
            for participant in people:
                if rng.random() < 0.05:
                    continue  # one in twenty does not answer at this moment
                start = baseline.setdefault(participant.pk, rng.uniform(1.8, 3.6))
                gain = {"intake": 0.0, "mid_term": 0.4, "closure": 0.8, "follow_up": 0.9}
                level = start + gain.get(moment, 0.3) * rng.uniform(-0.3, 1.4)
                answered = participant.created_at + datetime.timedelta(days=MOMENT_DAYS[moment])
                language = (
                    participant.language
                    if participant.language in ("fr", "en", "ar", "uk")
                    else "fr"
                )
                services.response_record(
                    participant=participant,
                    questionnaire=library[key],
                    assignment=assignment,
                    moment=moment,
                    occurrence=1 if moment == "every_n_weeks" else 0,
                    values=_values(library[key], level, rng),
                    language=language,
                    submitted_at=min(answered, now),
                    entry_mode="paper" if rng.random() < 0.15 else "",
                    by=coordinator,
                )
                made += 1
    _goals(programmes, coordinators)
    return made


LEVELS = {
    "-2": "Rien n'a bougé, ou la situation s'est dégradée.",
    "-1": "Un premier pas, moins que prévu.",
    "0": "Le résultat attendu, tel que nous l'avons écrit.",
    "1": "Un peu plus que prévu.",
    "2": "Bien au-delà de ce que nous espérions.",
}


def _goals(programmes: dict[str, Programme], coordinators: dict[str, User]) -> None:
    """Every demo objective gets its −2…+2 levels; those of closed duos are scored at closure."""
    objectives = Objective.objects.filter(duo__programme__in=programmes.values()).select_related(
        "duo__programme__organisation"
    )
    scaled = set(GoalScale.objects.values_list("objective_id", flat=True))
    rng = random.Random("questionnaires:goals")
    for objective in objectives.order_by("pk"):
        if objective.pk in scaled:
            continue
        coordinator = coordinators[objective.duo.programme.organisation.slug]
        scale = services.goal_scale_write(objective=objective, levels=LEVELS, by=coordinator)
        if objective.duo.status == Duo.Status.CLOSED:
            services.goal_score_add(
                goal_scale=scale,
                score=rng.choice([-1, 0, 0, 1, 1, 2]),
                moment="closure",
                by=coordinator,
            )


def demo_response_count() -> int:
    return Response.objects.count()
