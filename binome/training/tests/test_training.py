import pytest
from django.urls import reverse
from django.utils import translation

from binome.core.audit import AuditEvent
from binome.core.errors import Refused
from binome.core.next_steps import TRAINING, participant_steps
from binome.matching.adapter import shortlist
from binome.matching.models import MatchingSettings
from binome.people import services as people
from binome.people.models import Participant
from binome.testing import SLOTS
from binome.training import selectors, services
from binome.training.models import Completion
from binome.training.pdf import attestation_lines, attestation_pdf


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def module(cast, title="Listening", *, pass_mark=None, organisation=None):
    return services.module_create(
        organisation=organisation or cast.org_a,
        actor=cast.carla,
        data={"title": title, "body": "## Why\nListen first.", "pass_mark": pass_mark},
    )


def path(cast, *modules):
    return services.path_set(
        programme=cast.programme,
        role="mentor",
        modules=list(modules),
        sessions_required=0,
        actor=cast.carla,
    )


def make_matchable(cast) -> None:
    """Give Marek and Amina profiles that fit, and put Amina in the pool."""
    for participant, extra in (
        (cast.marek_participant, {"offers": ["employment"]}),
        (cast.amina_participant, {"sector": "2221"}),
    ):
        people.participant_update(
            participant=participant,
            actor=cast.carla,
            availability=SLOTS,
            mode_preference=Participant.Mode.EITHER,
            interests=["football"],
            **extra,
        )
    people.participant_set_status(
        participant=cast.amina_participant, to_status=Participant.Status.READY, actor=cast.carla
    )


def refresh(participant):
    participant.refresh_from_db()
    return participant


def test_a_quiz_question_without_a_right_answer_is_refused(cast):
    chosen = module(cast, pass_mark=80)
    translation.activate("en")
    with pytest.raises(Refused, match="right answer"):
        services.question_save(module=chosen, actor=None, text="Q?", choices="Yes\nNo")
    with pytest.raises(Refused, match="two choices"):
        services.question_save(module=chosen, actor=None, text="Q?", choices="*Yes")
    assert not chosen.questions.exists()


def test_the_question_form_says_why_and_keeps_the_input(cast, client_as):
    chosen = module(cast, pass_mark=80)
    response = client_as(cast.carla).post(
        en("training:question_add", chosen.pk), {"text": "Who speaks first?", "choices": "Me\nYou"}
    )
    page = response.content.decode()
    assert "right answer" in page and "Who speaks first?" in page


def test_completing_the_path_makes_a_mentor_trained_and_matchable(cast):
    MatchingSettings.objects.create(programme=cast.programme, require_training=True)
    make_matchable(cast)
    first, second = module(cast, "A first"), module(cast, "B quiz", pass_mark=100)
    services.question_save(module=second, actor=None, text="Q?", choices="*Yes\nNo")
    path(cast, first, second)
    marek = refresh(cast.marek_participant)
    assert not marek.training_done
    assert not shortlist(cast.programme, cast.amina_participant)

    services.module_complete(participant=marek, module=first)
    question = second.questions.get()
    failed = services.module_complete(participant=marek, module=second, answers={question.pk: {1}})
    assert failed.completed_at is None and failed.score == 0
    assert not refresh(marek).training_done

    passed = services.module_complete(participant=marek, module=second, answers={question.pk: {0}})
    assert passed.completed_at is not None and passed.score == 100 and passed.attempts == 2
    assert refresh(marek).training_done
    assert AuditEvent.objects.filter(action="training.done_derived").exists()
    assert [p.mentor for p in shortlist(cast.programme, cast.amina_participant)]


def test_a_new_module_in_the_path_makes_training_not_done_again(cast):
    first = module(cast)
    path(cast, first)
    services.module_complete(participant=cast.marek_participant, module=first)
    assert refresh(cast.marek_participant).training_done
    path(cast, first, module(cast, "Another"))
    assert not refresh(cast.marek_participant).training_done


def test_training_recorded_elsewhere_with_a_note_counts_and_is_audited(cast):
    path(cast, module(cast))
    with pytest.raises(Refused):
        services.external_training_record(
            participant=cast.marek_participant, actor=cast.carla, note=" ", hours=2
        )
    services.external_training_record(
        participant=cast.marek_participant, actor=cast.carla, note="Red Cross, May", hours=3
    )
    assert refresh(cast.marek_participant).training_done
    assert AuditEvent.objects.filter(action="training.external_record").exists()


def test_the_next_module_is_a_participant_s_next_step(cast):
    first = module(cast, "Listening")
    path(cast, first)
    steps = [s for s in participant_steps(cast.marek) if s.order == TRAINING]
    assert len(steps) == 1 and "Listening" in steps[0].title
    services.module_complete(participant=cast.marek_participant, module=first)
    assert not [s for s in participant_steps(cast.marek) if s.order == TRAINING]
    assert not [s for s in participant_steps(cast.amina) if s.order == TRAINING]


def test_a_mentor_follows_a_module_and_answers_its_quiz_from_the_page(cast, client_as):
    chosen = module(cast, pass_mark=100)
    services.question_save(module=chosen, actor=None, text="Listen?", choices="*Yes\nNo")
    path(cast, chosen)
    client = client_as(cast.marek)
    page = client.get(en("training:module", chosen.pk)).content.decode()
    assert "<h3>Why</h3>" in page and "Listen?" in page
    question = chosen.questions.get()
    response = client.post(en("training:complete", chosen.pk), {f"q{question.pk}": ["1"]})
    assert response.status_code == 302
    assert Completion.objects.get().completed_at is None
    client.post(en("training:complete", chosen.pk), {f"q{question.pk}": ["0"]})
    assert Completion.objects.get().completed_at is not None


def test_the_attestation_lists_hours_and_validated_skills_in_the_person_s_language(cast):
    skill = services.skill_add(
        programme=cast.programme,
        actor=cast.carla,
        name="Écoute",
        translations={"name": {"uk": "Слухання"}},
    )
    services.skills_validate(participant=cast.marek_participant, actor=cast.carla, skills=[skill])
    services.external_training_record(
        participant=cast.marek_participant, actor=cast.carla, note="Elsewhere", hours=2
    )
    rows = dict(attestation_lines(cast.marek_participant, "uk"))
    assert "Слухання" in rows.values()
    # The level the volunteer committed to is recognised too, in her language.
    Participant.objects.filter(pk=cast.marek_participant.pk).update(engagement="one_off")
    with translation.override("uk"):
        level = str(refresh(cast.marek_participant).get_engagement_display())
    assert dict(attestation_lines(refresh(cast.marek_participant), "uk"))["Зобов'язання"] == level
    Participant.objects.filter(pk=cast.marek_participant.pk).update(language="ar")
    content, language = attestation_pdf(refresh(cast.marek_participant))
    assert content.startswith(b"%PDF") and language in {"ar", "fr"}


ROLE_MATRIX = {
    # name: (args, expected status per role; others 404, anonymous 302)
    "training:mine": ((), {"mentee": 200, "mentor": 200}),
    "training:my_attestation": ((), {"mentor": 200}),
    "training:module": (("M",), {"mentor": 200, "coordinator": 200, "admin": 200}),
    "training:module_edit": (("M",), {"coordinator": 200, "admin": 200}),
    "training:catalogue": (("O",), {"coordinator": 200, "admin": 200}),
    "training:module_create": (("O",), {"coordinator": 200, "admin": 200}),
    "training:path": (("P", "mentor"), {"coordinator": 200, "admin": 200}),
    "training:skills": (("P",), {"coordinator": 200, "admin": 200}),
    "training:person": (("T",), {"coordinator": 200, "admin": 200}),
    "training:attestation": (("T",), {"coordinator": 200, "admin": 200}),
}


@pytest.mark.parametrize("name", ROLE_MATRIX)
def test_the_role_matrix(cast, client_as, name):
    chosen = module(cast)
    path(cast, chosen)
    values = {
        "M": chosen.pk,
        "O": cast.org_a.pk,
        "P": cast.programme.pk,
        "T": cast.marek_participant.pk,
        "mentor": "mentor",
    }
    args, expected = ROLE_MATRIX[name]
    url = en(name, *[values[a] for a in args])
    for role, user in cast.users().items():
        wanted = expected.get(role, 302 if role == "anonymous" else 404)
        assert client_as(user).get(url).status_code == wanted, (role, url)


def test_attending_a_training_session_counts_toward_the_path(cast):
    from binome.community.models import Activity
    from binome.community.services import attendance_mark
    from binome.community.tests.helpers import plan

    first = module(cast)
    services.path_set(
        programme=cast.programme, role="mentor", modules=[first], sessions_required=1, actor=None
    )
    services.module_complete(participant=cast.marek_participant, module=first)
    assert not refresh(cast.marek_participant).training_done
    session = plan(cast, kind=Activity.Kind.TRAINING, counts_as_training=True)
    attendance_mark(actor=cast.carla, activity=session, came=[], extra=[cast.marek_participant.pk])
    assert refresh(cast.marek_participant).training_done
    assert selectors.hours(cast.marek_participant).sessions == 2.0
    attendance_mark(actor=cast.carla, activity=session, came=[])
    assert not refresh(cast.marek_participant).training_done
