"""One draft, two people saving it at once (a coordinator on the phone with the person while she
answers by link, or two members of a team): one answer wins, the other person is told, with her
own answer kept on the screen, and nothing is replaced silently."""

import html
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from binome.core.errors import EditConflict
from binome.questionnaires import services
from binome.questionnaires.due import Due, answer_path
from binome.questionnaires.models import Answer, Assignment, Questionnaire, Response


def _draft(cast):
    services.library_load()
    questionnaire = Questionnaire.objects.get(organisation__isnull=True, key="integration")
    assignment = services.assignment_add(
        programme=cast.programme,
        questionnaire=questionnaire,
        moment=Assignment.Moment.INTAKE,
        role="mentee",
        by=cast.carla,
    )
    response = services.response_start(
        participant=cast.amina_participant,
        questionnaire=questionnaire,
        assignment=assignment,
        moment="intake",
        language="fr",
    )
    return assignment, response


def _text(page) -> str:
    return html.unescape(page.content.decode())


@pytest.mark.django_db
def test_a_stale_screen_is_refused_with_the_other_answer_named_and_hers_kept(cast, client):
    assignment, response = _draft(cast)
    with translation.override("en"):
        url = answer_path(Due(assignment, cast.amina_participant, 0, None, timezone.localdate()))
    screen = _text(client.get(url + "?step=1"))
    assert 'name="seen" value="none"' in screen  # nothing answered when she opened it
    item = response.version.items.get(position=1)
    # The coordinator, on the phone with her, records "2" meanwhile.
    services.response_answer(response=response, item=item, raw=["2"], by=cast.carla, seen="none")
    refused = client.post(url, {"step": 1, "value": "4", "seen": "none"})
    assert refused.status_code == 400
    page = _text(refused)
    assert "Someone else answered this question" in page and "(2)" in page
    assert 'value="4" checked' in page  # her answer is on the screen, not lost
    assert Answer.objects.get(response=response, item=item).number == 2
    # Pressing Next again, now knowing, replaces it.
    token = services.answer_token(Answer.objects.get(response=response, item=item))
    assert f'name="seen" value="{token}"' in page
    assert client.post(url, {"step": 1, "value": "4", "seen": token}).status_code == 302
    assert Answer.objects.get(response=response, item=item).number == 4


@pytest.mark.django_db
def test_the_same_answer_twice_is_no_conflict_and_sending_stale_answers_is_refused(cast, client):
    assignment, response = _draft(cast)
    item = response.version.items.get(position=1)
    services.response_answer(response=response, item=item, raw=["3"], seen="none")
    # Someone else chose the same: nothing to tell.
    assert services.response_answer(response=response, item=item, raw=["3"], seen="none")
    lock = Response.objects.get(pk=response.pk).version_lock
    services.response_answer(response=response, item=item, raw=["5"], by=cast.carla)
    with pytest.raises(EditConflict):
        services.response_submit(response=response, version_lock=lock)
    assert not Response.objects.get(pk=response.pk).is_submitted


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_item_of_a_draft_at_once_give_one_winner_and_one_conflict():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: the race only exists on PostgreSQL")
    from conftest import make_cast

    cast = make_cast()
    _assignment, response = _draft(cast)
    item = response.version.items.get(position=1)
    first_saved, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def coordinator():
        try:
            with transaction.atomic():
                services.response_answer(
                    response=response, item=item, raw=["2"], by=cast.carla, seen="none"
                )
                first_saved.set()  # the answer is written, not yet committed
                release.wait(10)
            outcome["coordinator"] = "saved"
        except Exception as error:  # reported in the outcome rather than lost in the thread
            outcome["coordinator"] = repr(error)
        finally:
            connection.close()

    def participant():
        try:
            first_saved.wait(10)
            # Her screen opened before either save: it saw no answer.
            services.response_answer(
                response=response, item=item, raw=["4"], by=cast.amina, seen="none"
            )
            outcome["participant"] = "saved"
        except services.AnswerConflict as conflict:
            outcome["participant"] = ("conflict", str(conflict.messages[0]))
        except Exception as error:
            outcome["participant"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=coordinator), threading.Thread(target=participant)]
    for thread in threads:
        thread.start()
    first_saved.wait(10)
    threads[1].join(0.5)  # her save waits on the draft's row lock
    assert threads[1].is_alive()
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcome["coordinator"] == "saved"
    result = outcome["participant"]
    assert isinstance(result, tuple) and result[0] == "conflict" and "(2)" in result[1]
    answers = Answer.objects.filter(response=response, item=item)
    assert [a.number for a in answers] == [2]
    # The draft counts one save only: a stale last screen cannot send over it.
    assert Response.objects.get(pk=response.pk).version_lock == 2
