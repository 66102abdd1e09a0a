"""The next thing to do: first on "My space" and "My duo", and a coordinator's home of to-dos."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.duos.models import Alert, Duo, FollowUp, Meeting
from binome.matching.models import Proposal
from binome.matching.services import proposal_answer
from binome.people.models import Participant
from binome.testing import CANARY, add_person, make_duo

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def first_card(html: str) -> str:
    start = html.index('class="card next-step"')
    return html[start : html.index("</div>", start)]


def pending(cast) -> Proposal:
    return Proposal.objects.create(
        programme=cast.programme, mentee=cast.amina_participant, mentor=cast.marek_participant
    )


def test_a_waiting_proposal_is_the_first_card_of_my_space_with_a_link_to_answer_it(cast, client_as):
    proposal = pending(cast)
    html = page(client_as(cast.amina), en("people:my_space"))
    card = first_card(html)
    assert "A proposal is waiting for your answer" in card
    assert en("matching:proposal", proposal.pk) in card
    assert "looking for the right person" not in html


def test_the_proposal_card_goes_once_she_has_answered(cast, client_as):
    proposal = pending(cast)
    proposal_answer(proposal=proposal, side="mentee", answer="accepted", actor=cast.amina)
    assert "next-step" not in page(client_as(cast.amina), en("people:my_space"))
    # Marek has not answered yet: his card is still there.
    assert "A proposal is waiting" in page(client_as(cast.marek), en("people:my_space"))


def test_the_agreement_to_sign_comes_before_the_next_meeting(cast, client_as):
    duo = make_duo(cast)
    Meeting.objects.create(
        duo=duo, starts_at=timezone.now() + datetime.timedelta(days=3), status="planned"
    )
    html = page(client_as(cast.amina), en("people:my_space"))
    assert "waiting for your signature" in first_card(html)
    assert en("duos:agreement", duo.pk) in first_card(html)
    assert html.index("waiting for your signature") < html.index("Next meeting:")
    # On "My duo" the agreement card comes first too, before the page's own meeting card.
    mine = page(client_as(cast.amina), en("duos:detail", duo.pk))
    assert mine.index("waiting for your signature") < mine.index('id="h-next"')
    assert "Next meeting:" not in mine  # not twice: the page's card shows it


def test_a_signed_side_is_not_asked_again(cast, client_as):
    from binome.duos.services.agreement import agreement_sign

    duo = make_duo(cast)
    name = cast.amina_participant.display_name
    agreement_sign(duo=duo, party="mentee", typed_name=name, actor=cast.amina, language="fr")
    assert "waiting for your signature" not in page(client_as(cast.amina), en("people:my_space"))
    assert "waiting for your signature" in page(client_as(cast.marek), en("people:my_space"))


def test_nobody_else_gets_a_participant_s_steps(cast):
    from binome.core.next_steps import participant_steps

    make_duo(cast)
    pending(cast)
    for user in (cast.carla, cast.vera, cast.olga, cast.adam):
        assert participant_steps(user) == []


def coordinator_world(cast) -> Duo:
    """One of every to-do in org A: an applicant, a ready pair, a stale proposal, a duo…"""
    add_person(cast, "mentee", "Nadia", status="applied")
    old = pending(cast)
    Proposal.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    duo = make_duo(cast)
    now = timezone.now()
    Alert.objects.create(duo=duo, kind=Alert.Kind.LOW_MOOD, key="m", opened_at=now)
    closed = Duo.objects.create(
        programme=cast.programme,
        mentor=cast.marek_participant,
        mentee=cast.amina_participant,
        status=Duo.Status.CLOSED,
    )
    FollowUp.objects.create(duo=closed, due_on=timezone.localdate())
    return duo


def test_a_coordinator_s_home_lists_each_to_do_with_its_count_and_list(cast, client_as):
    coordinator_world(cast)
    client = client_as(cast.carla)
    html = page(client, en("home"))
    board = en("duos:board") + f"?programme={cast.programme.pk}"
    expected = [
        (
            "application waiting for intake",
            en("people:list", cast.programme.pk) + "?status=applied",
        ),
        ("proposal without an answer for 7 days", en("matching:run", cast.programme.pk)),
        ("agreement not yet signed by all", f"{board}&amp;status=starting"),
        ("duo needs attention", f"{board}&amp;alerts=on"),
        ("follow-up due without an answer", f"{board}&amp;status=all&amp;follow_up=due"),
    ]
    positions = []
    for title, url in expected:
        assert title in html, title
        assert url in html, url
        positions.append(html.index(title))
    assert positions == sorted(positions)  # in the order she takes them
    assert CANARY not in html


def test_each_to_do_leads_to_a_list_showing_exactly_those(cast, client_as):
    duo = coordinator_world(cast)
    client = client_as(cast.carla)
    waiting = page(client, en("matching:run", cast.programme.pk) + "?waiting=1")
    assert "Proposals without an answer for 7 days" in waiting
    assert en("matching:proposal", Proposal.objects.get().pk) in waiting
    alerts = page(client, en("duos:board") + "?alerts=on")
    assert en("duos:detail", duo.pk) in alerts
    follow = page(client, en("duos:board") + "?status=all&follow_up=due")
    assert "1 duo" in follow and en("duos:detail", duo.pk) + '"' not in follow


def test_a_calm_day_says_so(cast, client_as):
    Participant.objects.update(status="active")
    assert "Nothing is waiting for you" in page(client_as(cast.carla), en("home"))
