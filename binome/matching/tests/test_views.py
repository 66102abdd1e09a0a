import pytest
from django.urls import reverse
from django.utils import translation

from binome.duos.models import Duo
from binome.matching.models import MatchingRun, PairRule, Proposal
from binome.matching.tests.conftest import run_done
from binome.people.models import Participant
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES, STAFF_ONLY, add_person


def staff_urls(cast):
    pid = cast.programme.pk
    return [
        reverse("matching:run", args=[pid]),
        reverse("matching:status", args=[pid]),
        reverse("matching:settings", args=[pid]),
        reverse("matching:shortlist", args=[pid, cast.amina_participant.pk]),
        reverse("matching:shortlist", args=[pid, cast.marek_participant.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_staff_see_the_matching_pages(matchable, client_as, role):
    client = client_as(matchable.users()[role])
    for url in staff_urls(matchable):
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
        if response.status_code == 200:
            assert CANARY not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_post_on_the_matching_page(matchable, client_as, role):
    url = reverse("matching:run", args=[matchable.programme.pk])
    key = f"{matchable.amina_participant.pk}-{matchable.marek_participant.pk}"
    response = client_as(matchable.users()[role]).post(url, {"action": f"lock:{key}"})
    expected = {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert response.status_code == expected
    assert PairRule.objects.exists() == (expected == 302 and role != "anonymous")


def test_the_outsider_cannot_reach_another_organisations_shortlist(matchable, client_as):
    url = reverse(
        "matching:shortlist", args=[matchable.programme_b.pk, matchable.canary_participant.pk]
    )
    assert client_as(matchable.carla).get(url).status_code == 404
    other = reverse(
        "matching:shortlist", args=[matchable.programme.pk, matchable.canary_participant.pk]
    )
    assert client_as(matchable.carla).get(other).status_code == 404


def test_the_matching_page_shows_pairs_scores_and_reasons(matchable, client_as):
    add_person(matchable, Participant.Role.MENTEE, "Olena", languages={"uk": "native"})
    run_done(matchable)
    response = client_as(matchable.carla).get(
        reverse("matching:run", args=[matchable.programme.pk]) + "?x", HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert "Amina Haddad" in page and "Marek Nowak" in page
    assert "Olena Test" in page
    assert "Private intake note" not in page


def test_the_htmx_request_gets_only_the_rows(matchable, client_as):
    run_done(matchable)
    url = reverse("matching:run", args=[matchable.programme.pk])
    response = client_as(matchable.carla).get(url, {"q": "amina"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="run-rows"')
    assert "<html" not in page and "Amina Haddad" in page


def test_an_action_sent_by_htmx_queues_a_run_and_reloads_the_page(matchable, client_as):
    url = reverse("matching:run", args=[matchable.programme.pk])
    key = f"{matchable.amina_participant.pk}-{matchable.marek_participant.pk}"
    response = client_as(matchable.carla).post(
        url, {"action": f"lock:{key}"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    # Back on the page, the keyboard focus returns to the pair's own button (not the top).
    assert response["HX-Redirect"] == f"{url}?focus=pair-{key}"
    assert MatchingRun.objects.get().status == MatchingRun.Status.QUEUED


def test_the_focus_comes_back_to_the_pair_s_button_and_the_message_is_announced(
    matchable, client_as
):
    from binome.matching.tests.conftest import run_done

    run_done(matchable)
    url = reverse("matching:run", args=[matchable.programme.pk])
    key = f"{matchable.amina_participant.pk}-{matchable.marek_participant.pk}"
    client = client_as(matchable.carla)
    response = client.post(url, {"action": f"lock:{key}"})
    assert response["Location"] == f"{url}?focus=pair-{key}"
    page = client.get(url).content.decode()
    assert 'role="status" data-announce' in page  # binome.js reads it out again after the load
    run_done(matchable)
    assert f'id="pair-{key}"' in client.get(url).content.decode()
    response = client.post(url, {"action": "exchange", "swap": [key, key]})
    assert response["Location"].endswith(("?focus=exchange", url))


def test_exchanging_two_pairs_locks_the_new_pairs(matchable, client_as):
    nadia = add_person(matchable, Participant.Role.MENTEE, "Nadia")
    paul = add_person(matchable, Participant.Role.MENTOR, "Paul")
    amina, marek = matchable.amina_participant, matchable.marek_participant
    url = reverse("matching:run", args=[matchable.programme.pk])
    client = client_as(matchable.carla)
    client.post(url, {"action": f"lock:{amina.pk}-{marek.pk}"})
    client.post(url, {"action": f"lock:{nadia.pk}-{paul.pk}"})
    response = client.post(
        url, {"action": "exchange", "swap": [f"{amina.pk}-{marek.pk}", f"{nadia.pk}-{paul.pk}"]}
    )
    assert response.status_code == 302
    locks = set(PairRule.objects.values_list("mentee_id", "mentor_id"))
    assert locks == {(amina.pk, paul.pk), (nadia.pk, marek.pk)}


def test_an_exchange_needs_exactly_two_pairs(matchable, client_as):
    with translation.override("en"):
        url = reverse("matching:run", args=[matchable.programme.pk])
    response = client_as(matchable.carla).post(url, {"action": "exchange"}, follow=True)
    assert "Tick exactly two pairs" in response.content.decode()


def test_sending_the_shown_set_creates_the_proposals(matchable, client_as):
    with translation.override("en"):
        url = reverse("matching:run", args=[matchable.programme.pk])
    run = run_done(matchable)
    client = client_as(matchable.carla)
    data = {"action": "send", "run": run.pk, "fingerprint": run.fingerprint}
    stale = client.post(url, {**data, "fingerprint": "stale"}, follow=True)
    assert "changed since you saw them" in stale.content.decode()
    assert Proposal.objects.count() == 0
    assert client.post(url, data).status_code == 302
    assert Proposal.objects.get().status == Proposal.Status.PENDING


def test_a_run_made_before_the_pool_changed_is_not_sent(matchable, client_as):
    with translation.override("en"):
        url = reverse("matching:run", args=[matchable.programme.pk])
    run = run_done(matchable)
    add_person(matchable, Participant.Role.MENTEE, "Nadia")
    data = {"action": "send", "run": run.pk, "fingerprint": run.fingerprint}
    response = client_as(matchable.carla).post(url, data, follow=True)
    assert "run the matching again" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_settings_are_validated_and_saved(matchable, client_as):
    with translation.override("en"):
        url = reverse("matching:settings", args=[matchable.programme.pk])
    data = {
        "min_language_level": "B1",
        "min_shared_slots": 2,
        "min_score": 20,
        "method": "stable",
        "version": 1,
        **{
            f"weight_{k}": 0
            for k in ["sector", "needs", "interests", "distance", "languages", "age"]
        },
    }
    client = client_as(matchable.carla)
    bad = client.post(url, data)
    assert bad.status_code == 200
    assert "At least one criterion" in bad.content.decode()
    data["weight_needs"] = 80
    assert client.post(url, data).status_code == 302
    conf = matchable.programme.matching_settings
    assert (conf.method, conf.min_score, conf.resolved_weights()["needs"]) == ("stable", 20, 80)
    assert client.post(url, {**data, "min_score": 500}).status_code == 200


PARTY = PARTIES_AND_STAFF


@pytest.mark.parametrize("role", ROLES)
def test_only_the_parties_and_staff_see_a_proposal(proposal, matchable, client_as, role):
    response = client_as(matchable.users()[role]).get(
        reverse("matching:proposal", args=[proposal.pk])
    )
    assert response.status_code == PARTY[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert CANARY not in page
        assert "Private intake note" not in page
        assert "Asylum seeker" not in page and "asylum_seeker" not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_parties_and_staff_may_answer(proposal, matchable, client_as, role):
    cast = matchable
    url = reverse("matching:answer", args=[proposal.pk])
    response = client_as(cast.users()[role]).post(url, {"answer": "accepted", "side": "mentee"})
    assert response.status_code == {**PARTY, "mentee": 302, "mentor": 302, "coordinator": 302,
                                    "admin": 302}[role]  # fmt: skip
    proposal.refresh_from_db()
    answered = proposal.mentee_answer or proposal.mentor_answer
    assert bool(answered) == (role in {"mentee", "mentor", "coordinator", "admin"})


def test_the_mentee_sees_the_mentor_but_never_his_legal_status(proposal, matchable, client_as):
    cast = matchable
    response = client_as(cast.amina).get(f"/ar/proposals/{proposal.pk}/")
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "Marek" in page and "Nowak" not in page
    assert "Citizen" not in page and "citizen" not in page


def test_both_accepting_through_the_pages_forms_the_duo(proposal, matchable, client_as):
    cast = matchable
    url = reverse("matching:answer", args=[proposal.pk])
    client_as(cast.amina).post(url, {"answer": "accepted"})
    client_as(cast.marek).post(url, {"answer": "accepted"})
    assert Duo.objects.get().mentee == cast.amina_participant


def test_a_decline_reason_is_kept(proposal, matchable, client_as):
    cast = matchable
    url = reverse("matching:answer", args=[proposal.pk])
    client_as(cast.marek).post(url, {"answer": "declined", "reason": "Not now"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == ("declined", "Not now")


def test_a_bad_answer_is_refused_clearly(proposal, matchable, client_as):
    cast = matchable
    url = reverse("matching:answer", args=[proposal.pk])
    response = client_as(cast.amina).post(url, {"answer": "maybe"}, follow=True)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.mentee_answer == ""


@pytest.mark.parametrize("role", ROLES)
def test_my_proposals_lists_only_mine(proposal, matchable, client_as, role):
    cast = matchable
    response = client_as(cast.users()[role]).get(reverse("matching:my_proposals"))
    assert response.status_code == (302 if role == "anonymous" else 200)
    if response.status_code == 200:
        page = response.content.decode()
        assert CANARY not in page
        has_link = reverse("matching:proposal", args=[proposal.pk]) in page
        assert has_link == (role in {"mentee", "mentor"})
