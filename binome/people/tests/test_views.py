"""Who may open which participant screen, and what each of them may see."""

import pytest
from django.urls import reverse

from binome.people import services
from binome.people.models import Consent
from binome.testing import CANARY, PARTIES_ONLY, STAFF_ONLY

pytestmark = pytest.mark.django_db

# Staff screens: coordinators and admins of organisation A only; the others learn nothing.
STAFF_EXPECTED = STAFF_ONLY


def staff_urls(cast) -> dict[str, str]:
    programme, amina = cast.programme, cast.amina_participant
    return {
        "list": reverse("people:list", args=[programme.pk]),
        "create": reverse("people:create", args=[programme.pk]),
        "detail": reverse("people:detail", args=[programme.pk, amina.pk]),
        "edit": reverse("people:edit", args=[programme.pk, amina.pk]),
        "intake": reverse("people:intake", args=[programme.pk, amina.pk]),
    }


def consent_for(participant, actor):
    return services.consent_record(
        participant=participant,
        purpose=Consent.Purpose.DATA_PROCESSING,
        text="ok",
        method=Consent.Method.ORAL,
        actor=actor,
    )


def test_every_staff_screen_answers_each_role_with_the_exact_status(cast, client_as):
    for name, url in staff_urls(cast).items():
        for role, user in cast.users().items():
            response = client_as(user).get(url)
            assert response.status_code == STAFF_EXPECTED[role], (name, role)
            if role == "anonymous":
                assert response["Location"].startswith(reverse("accounts:login")), name


def test_status_change_and_consent_withdrawal_answer_each_role_with_the_exact_status(
    cast, client_as
):
    amina = cast.amina_participant
    consent = consent_for(amina, cast.carla)
    status_url = reverse("people:status", args=[cast.programme.pk, amina.pk])
    withdraw_url = reverse("people:consent_withdraw", args=[cast.programme.pk, amina.pk])
    for role, user in cast.users().items():
        for url in (status_url, withdraw_url):
            response = client_as(user).post(url, {"to_status": "bogus", "consent": consent.pk})
            expected = {200: 302}.get(STAFF_EXPECTED[role], STAFF_EXPECTED[role])
            assert response.status_code == expected, (url, role)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    amina.refresh_from_db()
    assert amina.status == "applied"


def test_status_change_and_withdrawal_refuse_get(cast, client_as):
    amina = cast.amina_participant
    url = reverse("people:status", args=[cast.programme.pk, amina.pk])
    assert client_as(cast.carla).get(url).status_code == 405


def test_my_space_answers_each_role_with_the_exact_status(cast, client_as):
    expected = PARTIES_ONLY
    for role, user in cast.users().items():
        response = client_as(user).get(reverse("people:my_space"))
        assert response.status_code == expected[role], role


def test_the_canary_of_organisation_b_never_reaches_a_user_of_organisation_a(cast, client_as):
    urls = [*staff_urls(cast).values(), reverse("people:my_space")]
    urls.append(reverse("people:list", args=[cast.programme.pk]) + "?q=Canary")
    for role, user in cast.users().items():
        if role == "outsider":
            continue
        for url in urls:
            assert CANARY not in client_as(user).get(url).content.decode(), (role, url)


def test_olga_gets_404_on_organisation_a_participants(cast, client_as):
    olga = client_as(cast.olga)
    for url in staff_urls(cast).values():
        assert olga.get(url).status_code == 404, url
    amina = cast.amina_participant
    response = olga.post(
        reverse("people:status", args=[cast.programme.pk, amina.pk]), {"to_status": "rejected"}
    )
    assert response.status_code == 404
    amina.refresh_from_db()
    assert amina.status == "applied"


def test_carla_gets_404_on_organisation_b_participants(cast, client_as):
    carla = client_as(cast.carla)
    canary, programme_b = cast.canary_participant, cast.programme_b
    assert carla.get(reverse("people:list", args=[programme_b.pk])).status_code == 404
    for name in ("detail", "edit", "intake"):
        url = reverse(f"people:{name}", args=[programme_b.pk, canary.pk])
        assert carla.get(url).status_code == 404, name


def test_a_participant_is_only_reachable_under_its_own_programme(cast, client_as):
    url = reverse("people:detail", args=[cast.programme_b.pk, cast.amina_participant.pk])
    assert client_as(cast.olga).get(url).status_code == 404
    assert client_as(cast.carla).get(url).status_code == 404


def test_a_consent_of_another_participant_cannot_be_withdrawn_through_this_one(cast, client_as):
    consent = consent_for(cast.marek_participant, cast.carla)
    url = reverse("people:consent_withdraw", args=[cast.programme.pk, cast.amina_participant.pk])
    assert client_as(cast.carla).post(url, {"consent": consent.pk}).status_code == 404
    assert client_as(cast.carla).post(url, {"consent": "x"}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_coordinators_see_legal_status_and_intake_notes_on_the_detail_page(cast, client_as):
    url = staff_urls(cast)["detail"]
    page = client_as(cast.carla).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Private intake note about Amina" in page


def test_legal_status_and_intake_notes_never_reach_a_mentor_or_a_mentee(cast, client_as):
    cast.marek_participant.intake_notes = "Marek private intake note"
    cast.marek_participant.save()
    urls = [*staff_urls(cast).values(), reverse("people:my_space")]
    for role in ("mentee", "mentor"):
        client = client_as(cast.users()[role])
        for url in urls:
            for prefix in ("/fr/", "/en/"):
                page = client.get(prefix + url[4:]).content.decode()
                assert "Asylum seeker" not in page, (role, url)
                assert "Citizen" not in page, (role, url)
                assert "intake note" not in page, (role, url)
                assert "Private intake note" not in page, (role, url)


def test_my_space_shows_the_programme_status_in_plain_words_and_the_coordinator_contact(
    cast, client_as
):
    cast.org_a.contact_email = "contact@horspistes.example"
    cast.org_a.save()
    page = client_as(cast.amina).get("/en/me/").content.decode()
    assert "Mentorat interculturel" in page
    assert "contact@horspistes.example" in page
    assert "We have received your application" in page
    assert "Arabic" in page


def test_my_space_names_languages_in_the_participants_language(cast, client_as):
    page = client_as(cast.amina).get("/fr/me/").content.decode()
    assert "arabe" in page.lower()


def test_the_detail_page_names_languages_and_countries_in_the_users_language(cast, client_as):
    amina = cast.amina_participant
    services.participant_update(participant=amina, actor=cast.carla, country_of_origin="SY")
    url = reverse("people:detail", args=[cast.programme.pk, amina.pk])
    page = client_as(cast.carla).get(url).content.decode()
    assert "arabe" in page.lower()
    assert "syrie" in page.lower()  # CLDR's name, as a person says it


@pytest.mark.parametrize("page", ["detail", "edit", "intake"])
def test_opening_a_page_with_the_legal_status_is_kept_in_the_audit_trail(cast, client_as, page):
    from binome.core.models import AuditEvent

    amina = cast.amina_participant
    url = reverse(f"people:{page}", args=[cast.programme.pk, amina.pk])
    assert client_as(cast.carla).get(url).status_code == 200
    event = AuditEvent.objects.get(action="participant.sensitive_read")
    assert (event.actor, event.target_id, event.detail) == (
        cast.carla,
        str(amina.pk),
        {"page": page},
    )
    # Refused readers read nothing, so nothing is recorded for them.
    for user in (cast.marek, cast.vera, cast.olga):
        assert client_as(user).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="participant.sensitive_read").count() == 1
