import datetime

import pytest
import time_machine
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.models import AuditEvent
from binome.notifications.models import Kind, OptOut
from binome.notifications.services import UNSUBSCRIBE_SALT, unsubscribe_token
from binome.people import services as people
from binome.people.models import Participant
from binome.testing import CANARY, ROLES

# The preferences page is each person's own: a mentor's or mentee's e-mails, or the agreements a
# coordinator or admin (of any organisation) is asked to sign; a viewer gets no e-mail.
PREFERENCES = {
    "anonymous": 302,
    "mentee": 200,
    "mentor": 200,
    "coordinator": 200,
    "viewer": 404,
    "admin": 200,
    "outsider": 200,
}


def preferences_url(language="en") -> str:
    with translation.override(language):
        return reverse("notifications:preferences")


def unsubscribe_url(participant, kind, language="en") -> str:
    with translation.override(language):
        return reverse("notifications:unsubscribe", args=[unsubscribe_token(participant.pk, kind)])


@pytest.mark.parametrize("role", ROLES)
def test_each_person_who_gets_e_mails_sees_their_own_preferences(cast, client_as, role):
    response = client_as(cast.users()[role]).get(preferences_url())
    assert response.status_code == PREFERENCES[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert "E-mails I want to receive" in page
        assert CANARY not in page


@pytest.mark.parametrize("role", ROLES)
def test_each_person_who_gets_e_mails_may_change_only_their_own_preferences(cast, client_as, role):
    user = cast.users()[role]
    response = client_as(user).post(preferences_url(), {"wanted": []})
    expected = {**PREFERENCES, **{r: 302 for r in PREFERENCES if PREFERENCES[r] == 200}}[role]
    assert response.status_code == expected
    changed = expected == 302 and role != "anonymous"
    assert OptOut.objects.exists() == changed
    if changed:
        own = OptOut.objects.filter(Q(user=user) | Q(participant__user=user))
        assert own.count() == OptOut.objects.count()


def test_a_coordinator_chooses_only_among_the_e_mails_staff_receive(cast, client_as):
    client = client_as(cast.carla)
    page = client.get(preferences_url()).content.decode()
    assert 'value="agreement"' in page
    assert 'value="checkin"' not in page and 'value="proposal"' not in page
    response = client.post(preferences_url(), {"wanted": []}, follow=True)
    assert "Your e-mail preferences are saved." in response.content.decode()
    assert list(OptOut.objects.values_list("user", "participant", "kind")) == [
        (cast.carla.pk, None, "agreement")
    ]
    # A kind that staff do not receive is refused, and nothing changes.
    response = client.post(preferences_url(), {"wanted": ["agreement", "checkin"]})
    assert response.status_code == 200
    assert OptOut.objects.filter(user=cast.carla, kind="agreement").exists()
    client.post(preferences_url(), {"wanted": ["agreement"]})
    assert not OptOut.objects.exists()


def test_unticking_kinds_opts_out_of_them_and_ticking_them_again_opts_back_in(cast, client_as):
    client = client_as(cast.amina)
    wanted = [kind for kind in Kind.values if kind != Kind.CHECKIN]
    response = client.post(preferences_url(), {"wanted": wanted}, follow=True)
    assert "Your e-mail preferences are saved." in response.content.decode()
    assert list(OptOut.objects.values_list("participant", "kind")) == [
        (cast.amina_participant.pk, "checkin")
    ]
    assert response.context["form"].initial["wanted"] == wanted
    client.post(preferences_url(), {"wanted": Kind.values})
    assert not OptOut.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.preferences").count() == 2


def test_an_unknown_kind_is_refused_and_nothing_saved(cast, client_as):
    response = client_as(cast.amina).post(preferences_url(), {"wanted": ["spam"]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not OptOut.objects.exists()


def test_a_team_representative_sets_the_preferences_of_their_team(cast, client_as):
    from binome.accounts.models import User

    piotr = User.objects.create_user(email="piotr@gdansk.example", full_name="Piotr")
    team = people.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTOR,
        kind=Participant.Kind.TEAM,
        team_name="Ville de Gdańsk",
        members=[{"name": "Piotr", "email": "Piotr@gdansk.example", "is_representative": True}],
    )
    client_as(piotr).post(preferences_url(), {"wanted": []})
    assert OptOut.objects.filter(participant=team).count() == len(Kind.values)


@pytest.mark.parametrize("role", ROLES)
def test_the_unsubscribe_link_works_for_whoever_holds_it(cast, client_as, role):
    # The link was e-mailed to Amina; the signed token is the credential, not a login.
    url = unsubscribe_url(cast.amina_participant, Kind.CHECKIN)
    client = client_as(cast.users()[role])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Check-in requests" in content
    assert "Amina" not in content and CANARY not in content
    assert not OptOut.objects.exists()
    done = client.post(url)
    assert done.status_code == 200
    assert "You will no longer receive these e-mails" in done.content.decode()
    assert list(OptOut.objects.values_list("participant", "kind")) == [
        (cast.amina_participant.pk, "checkin")
    ]


def test_unsubscribing_twice_is_harmless(cast, client):
    url = unsubscribe_url(cast.amina_participant, Kind.FOLLOW_UP)
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    assert OptOut.objects.count() == 1


def test_a_mail_client_s_one_click_post_needs_no_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_url(cast.marek_participant, Kind.OVERDUE),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert OptOut.objects.filter(participant=cast.marek_participant, kind="overdue").exists()


def forged_tokens() -> dict[str, str]:
    genuine = unsubscribe_token(1, "checkin")
    return {
        "garbage": "nonsense",
        "altered": genuine[:-2] + ("xx" if not genuine.endswith("xx") else "yy"),
        # Signed with the site's key but for another purpose: the salt keeps it out.
        "other-salt": signing.dumps({"p": 1, "k": "checkin"}),
    }


@pytest.mark.parametrize("forgery", ["garbage", "altered", "other-salt"])
def test_a_forged_or_altered_unsubscribe_link_is_not_found(cast, client, forgery):
    with translation.override("en"):
        url = reverse("notifications:unsubscribe", args=[forged_tokens()[forgery]])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not OptOut.objects.exists()


def test_an_unsubscribe_link_for_an_unknown_kind_or_person_is_not_found(cast, client):
    bad_kind = signing.dumps({"p": cast.amina_participant.pk, "k": "spam"}, salt=UNSUBSCRIBE_SALT)
    with translation.override("en"):
        assert client.get(reverse("notifications:unsubscribe", args=[bad_kind])).status_code == 404
    assert client.get(unsubscribe_url(Participant(pk=999_999), Kind.CHECKIN)).status_code == 404


def test_an_unsubscribe_link_expires_its_lifetime_after_the_e_mail(cast, client, settings):
    sent = timezone.now()
    with time_machine.travel(sent, tick=False):
        url = unsubscribe_url(cast.amina_participant, Kind.CHECKIN)
    lifetime = datetime.timedelta(days=settings.UNSUBSCRIBE_LINK_DAYS)
    with time_machine.travel(sent + lifetime - datetime.timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(sent + lifetime + datetime.timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not OptOut.objects.exists()


def test_the_unsubscribe_page_speaks_the_language_of_the_link(cast, client):
    response = client.get(unsubscribe_url(cast.amina_participant, Kind.CHECKIN, language="ar"))
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_a_staff_unsubscribe_link_for_an_unknown_or_disabled_account_is_not_found(cast, client):
    with translation.override("en"):
        unknown = reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(None, "agreement", user_id=999_999)],
        )
        carla = reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(None, "agreement", user_id=cast.carla.pk)],
        )
    assert client.get(unknown).status_code == 404
    assert client.get(carla).status_code == 200
    type(cast.carla).objects.filter(pk=cast.carla.pk).update(is_active=False)
    assert client.post(carla).status_code == 404
    assert not OptOut.objects.exists()
