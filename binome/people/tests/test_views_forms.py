"""Create, edit, intake and status forms: valid input saves, bad input keeps what was typed."""

import html

import pytest
from django.urls import reverse

from binome.people import services
from binome.people.models import Consent, Participant, StatusChange, TeamMember
from binome.programmes.models import Programme

pytestmark = pytest.mark.django_db


def profile_post(**overrides) -> dict:
    data = {
        "role": "mentee",
        "first_name": "Yasmin",
        "last_name": "Karimi",
        "email": "yasmin@example.org",
        "phone": "06 12 34 56 78",
        "language": "fr",
        "gender": "f",
        "gender_preference": "f",
        "birth_year": "1994",
        "country_of_origin": "AF",
        "legal_status": "refugee",
        "languages_lang_0": "prs",
        "languages_level_0": "native",
        "languages_lang_1": "fr",
        "languages_level_1": "A2",
        "city": "Marseille",
        "mode_preference": "in_person",
        "max_distance_km": "10",
        "availability": ["mon_am", "wed_ev"],
        "sector": "22",
        "occupation": "Nurse",
        "skills": "Care",
        "interests": "football, Cooking",
        "needs": ["employment", "language"],
        "motivations": "Work again as a nurse",
        "intake_notes": "Met at the office",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_post(participant, **overrides) -> dict:
    data = profile_post(
        role=None,
        first_name=participant.first_name,
        last_name=participant.last_name,
        version=participant.version,
    )
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_full_profile(cast, client_as):
    url = reverse("people:create", args=[cast.programme.pk])
    response = client_as(cast.carla).post(url, profile_post())
    yasmin = Participant.objects.get(first_name="Yasmin")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[cast.programme.pk, yasmin.pk])
    assert yasmin.languages == {"prs": "native", "fr": "A2"}
    assert yasmin.phone == "+33612345678"
    assert yasmin.interests == ["cooking", "football"]
    assert yasmin.availability == ["mon_am", "wed_ev"]
    assert yasmin.latitude is not None  # Marseille found in the offline city list
    assert yasmin.status == "applied"
    assert yasmin.status_changes.get().by == cast.carla


def test_the_create_page_offers_the_programmes_needs_and_the_isco_groups(cast, client_as):
    page = client_as(cast.carla).get("/en" + reverse("people:create", args=[cast.programme.pk])[3:])
    body = page.content.decode()
    assert 'value="social_network"' in body
    assert 'value="housing"' not in body  # not a need of this programme
    assert "Health professionals" in body
    assert 'name="team_name"' not in body  # not a city-to-city programme


def test_bad_input_keeps_what_was_typed_and_saves_nothing(cast, client_as):
    url = reverse("people:create", args=[cast.programme.pk])
    before = Participant.objects.count()
    response = client_as(cast.carla).post(
        "/en" + url[3:],
        profile_post(phone="12", languages_level_1="", birth_year="1700", motivations="Keep me"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert Participant.objects.count() == before
    assert "This phone number is not valid" in body
    assert "For each language, choose both the language and the level." in body
    assert "Keep me" in body
    assert 'value="Yasmin"' in body
    assert 'value="mon_am"' in body and "checked" in body


def test_a_person_without_any_name_is_refused_with_a_clear_message(cast, client_as):
    url = "/en" + reverse("people:create", args=[cast.programme.pk])[3:]
    response = client_as(cast.carla).post(url, profile_post(first_name="", last_name=""))
    assert "Give at least a first name or a last name." in response.content.decode()
    assert not Participant.objects.filter(email="yasmin@example.org").exists()


def city_programme(cast) -> Programme:
    return Programme.objects.create(
        organisation=cast.org_a,
        name="Cities",
        slug="cities",
        kind=Programme.Kind.CITY_TO_CITY,
        mode=Programme.Mode.HYBRID,
    )


def team_post(**overrides) -> dict:
    data = profile_post(kind="team", first_name="", last_name="", team_name="Ville de Gap")
    data.update(
        {
            "members-TOTAL_FORMS": "3",
            "members-INITIAL_FORMS": "0",
            "members-0-name": "Mme Maire",
            "members-0-function": "Deputy mayor",
            "members-0-member_organisation": "Ville de Gap",
            "members-0-is_representative": "on",
            "members-1-name": "M. Asso",
            "members-1-email": "asso@example.org",
        }
    )
    data.update(overrides)
    return data


def test_a_team_is_created_with_its_members_in_one_go(cast, client_as):
    programme = city_programme(cast)
    url = reverse("people:create", args=[programme.pk])
    response = client_as(cast.carla).post(url, team_post())
    assert response.status_code == 302
    team = Participant.objects.get(team_name="Ville de Gap")
    assert team.kind == "team"
    assert [m.name for m in team.members.all()] == ["Mme Maire", "M. Asso"]


def test_an_invalid_member_row_saves_nothing_at_all(cast, client_as):
    programme = city_programme(cast)
    url = "/en" + reverse("people:create", args=[programme.pk])[3:]
    response = client_as(cast.carla).post(url, team_post(**{"members-1-email": "not-an-email"}))
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="Mme Maire"' in response.content.decode()
    assert not Participant.objects.filter(team_name="Ville de Gap").exists()
    assert not TeamMember.objects.exists()


def test_editing_a_team_replaces_its_members(cast, client_as):
    programme = city_programme(cast)
    team = services.participant_create(
        programme=programme,
        role="mentor",
        kind="team",
        team_name="Ville de Gap",
        members=[{"name": "Old member"}],
    )
    data = team_post(
        version=team.version,
        **{
            "members-INITIAL_FORMS": "1",
            "members-0-name": "New member",
            "members-1-name": "",
            "members-1-email": "",
        },
    )
    data.pop("role"), data.pop("kind")
    url = reverse("people:edit", args=[programme.pk, team.pk])
    response = client_as(cast.carla).post(url, data)
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "error" in line
    ]
    assert list(team.members.values_list("name", flat=True)) == ["New member"]


def test_an_edit_saves_the_profile_and_is_audited(cast, client_as):
    amina = cast.amina_participant
    url = reverse("people:edit", args=[cast.programme.pk, amina.pk])
    data = edit_post(amina, city="Lyon", motivations="New motivation")
    response = client_as(cast.carla).post(url, data)
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.motivations == "New motivation"
    assert amina.city == "Lyon"
    assert round(amina.latitude) == 46  # Lyon's coordinates, not Marseille's
    assert amina.status == "applied"


def test_a_concurrent_edit_is_refused_and_the_users_input_is_kept(cast, client_as):
    amina = cast.amina_participant
    url = "/en" + reverse("people:edit", args=[cast.programme.pk, amina.pk])[3:]
    data = edit_post(amina, motivations="Carla's version")
    # Adam saves first, after Carla opened the form.
    services.participant_update(participant=amina, actor=cast.adam, motivations="Adam's version")
    response = client_as(cast.carla).post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this participant" in body
    assert "Carla&#x27;s version" in body
    amina.refresh_from_db()
    assert amina.motivations == "Adam's version"
    # Saving again, knowingly, replaces the other version.
    version = amina.version
    assert f'value="{version}"' in body
    response = client_as(cast.carla).post(url, {**data, "version": version})
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.motivations == "Carla's version"


def test_the_intake_interview_moves_an_applicant_to_interviewed_then_ready(cast, client_as):
    amina = cast.amina_participant
    url = reverse("people:intake", args=[cast.programme.pk, amina.pk])
    data = {
        "languages_lang_0": "ar",
        "languages_level_0": "native",
        "languages_lang_1": "fr",
        "languages_level_1": "B1",
        "needs": ["employment"],
        "motivations": "Find work",
        "skills": "Accounting",
        "availability": ["tue_pm"],
        "legal_status": "refugee",
        "intake_notes": "Interview notes",
        "consents": ["data_processing", "share_with_partner"],
        "consent_method": "oral",
        "ready": "on",
        "version": amina.version,
    }
    response = client_as(cast.carla).post(url, data)
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.status == "ready"
    assert amina.languages == {"ar": "native", "fr": "B1"}
    assert amina.legal_status == "refugee"
    assert amina.interviewed_at is not None
    steps = list(amina.status_changes.values_list("from_status", "to_status", "by"))
    assert steps[1:] == [
        ("applied", "interviewed", cast.carla.pk),
        ("interviewed", "ready", cast.carla.pk),
    ]
    consents = amina.consents.all()
    assert {c.purpose for c in consents} == {"data_processing", "share_with_partner"}
    assert all(c.method == "oral" and c.recorded_by == cast.carla for c in consents)
    page = client_as(cast.carla).get(reverse("people:detail", args=[cast.programme.pk, amina.pk]))
    body = page.content.decode()
    assert 'data-status="ready"' in body
    assert "Carla Coordinatrice" in body


def test_the_intake_without_ready_stops_at_interviewed(cast, client_as):
    amina = cast.amina_participant
    url = reverse("people:intake", args=[cast.programme.pk, amina.pk])
    data = {"consent_method": "paper", "version": amina.version}
    assert client_as(cast.carla).post(url, data).status_code == 302
    amina.refresh_from_db()
    assert amina.status == "interviewed"
    assert amina.consents.count() == 0


def test_a_bad_intake_saves_nothing_and_keeps_the_notes(cast, client_as):
    amina = cast.amina_participant
    url = "/en" + reverse("people:intake", args=[cast.programme.pk, amina.pk])[3:]
    data = {
        "languages_lang_0": "ar",
        "languages_level_0": "",
        "intake_notes": "Typed during the interview",
        "consents": ["contact"],
        "consent_method": "oral",
        "ready": "on",
        "version": amina.version,
    }
    response = client_as(cast.carla).post(url, data)
    assert response.status_code == 200
    assert "Typed during the interview" in response.content.decode()
    amina.refresh_from_db()
    assert amina.status == "applied"
    assert amina.intake_notes == "Private intake note about Amina"
    assert not Consent.objects.filter(participant=amina).exists()


def test_the_status_form_offers_only_allowed_transitions(cast, client_as):
    amina = cast.amina_participant
    url = reverse("people:detail", args=[cast.programme.pk, amina.pk])
    body = client_as(cast.carla).get(url).content.decode()
    assert 'value="interviewed"' in body
    assert 'value="active"' not in body


def test_a_status_change_is_recorded_on_the_timeline_with_who_and_when(cast, client_as):
    amina = cast.amina_participant
    url = reverse("people:status", args=[cast.programme.pk, amina.pk])
    client = client_as(cast.adam)
    response = client.post(url, {"to_status": "rejected", "note": "Moved away"})
    assert response.status_code == 302
    change = StatusChange.objects.filter(participant=amina).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.by) == ("applied", "rejected", cast.adam)
    body = client.get(response["Location"]).content.decode()
    assert "Moved away" in body
    assert "Adam Admin" in body
    assert f'datetime="{change.at.astimezone().isoformat()[:10]}' in body or "<time" in body


def test_a_forbidden_transition_is_shown_as_a_message_and_changes_nothing(cast, client_as):
    amina = cast.amina_participant
    url = "/en" + reverse("people:status", args=[cast.programme.pk, amina.pk])[3:]
    response = client_as(cast.carla).post(url, {"to_status": "active"}, follow=True)
    assert "Choose one of the statuses offered." in response.content.decode()
    amina.refresh_from_db()
    assert amina.status == "applied"


def test_withdrawing_a_consent_keeps_the_record(cast, client_as):
    amina = cast.amina_participant
    consent = services.consent_record(
        participant=amina, purpose="contact", text="ok", method="paper", actor=cast.carla
    )
    url = reverse("people:consent_withdraw", args=[cast.programme.pk, amina.pk])
    assert client_as(cast.carla).post(url, {"consent": consent.pk}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


@pytest.mark.parametrize("version", ["²", "9" * 5000, "2026-12-04T03:28:41+00:00", "0", "-3"])
def test_a_mangled_version_says_the_form_is_out_of_date_and_saves_nothing(cast, client_as, version):
    amina = cast.amina_participant
    url = "/en" + reverse("people:edit", args=[cast.programme.pk, amina.pk])[3:]
    data = {**edit_post(amina, motivations="Typed"), "version": version}
    response = client_as(cast.carla).post(url, data)
    assert response.status_code == 200
    assert "This form is out of date: reload the page." in html.unescape(response.content.decode())
    amina.refresh_from_db()
    assert amina.motivations != "Typed"


def test_a_null_character_in_an_interest_keeps_the_form_and_saves_nothing(cast, client_as):
    url = "/en" + reverse("people:create", args=[cast.programme.pk])[3:]
    before = Participant.objects.count()
    response = client_as(cast.carla).post(url, profile_post(interests="football, \x00cooking"))
    assert response.status_code == 200
    assert "Null characters are not allowed." in " ".join(
        response.context["form"].errors["interests"]
    )
    assert 'value="Yasmin"' in response.content.decode()
    assert Participant.objects.count() == before
