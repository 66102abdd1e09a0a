"""Public application forms: mentees, mentors, teams; consent, confirmation mail, spam."""

import pytest
from django.core import mail
from django.test import override_settings

from binome.core.models import AuditEvent
from binome.people.models import Consent, Participant
from binome.programmes.models import Programme

pytestmark = pytest.mark.django_db

URL = "/{lang}/p/hors-pistes/mentorat-interculturel/apply/{role}/"


def mentee_data(**changes) -> dict:
    data = {
        "website": "",
        "first_name": "Fatima",
        "last_name": "Rahimi",
        "email": "fatima@example.org",
        "phone": "",
        "languages_lang_0": "prs",
        "languages_level_0": "native",
        "languages_lang_1": "fr",
        "languages_level_1": "A1",
        "city": "Marseille",
        "mode_preference": "in_person",
        "needs": ["language", "employment"],
        "interests": "Cuisine, football",
        "motivations": "",
        "gender": "f",
        "gender_preference": "f",
        "birth_year": "1995",
        "consent_data": "on",
        "consent_share": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def applicants():
    return Participant.objects.exclude(email__in=["marek@a.example", "amina@a.example"]).exclude(
        programme__organisation__slug="other-org"
    )


def test_a_mentee_applies_and_is_thanked(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL.format(lang="fr", role="mentee"), mentee_data())
    assert response.status_code == 302
    assert response["Location"] == "/fr/p/hors-pistes/mentorat-interculturel/applied/"
    fatima = applicants().get()
    assert fatima.status == Participant.Status.APPLIED
    assert fatima.role == Participant.Role.MENTEE
    assert fatima.kind == Participant.Kind.PERSON
    assert fatima.language == "fr"
    assert fatima.languages == {"prs": "native", "fr": "A1"}
    assert fatima.needs == ["language", "employment"]
    assert fatima.interests == ["cuisine", "football"]
    assert fatima.birth_year == 1995
    assert fatima.gender_preference == "f"
    assert fatima.latitude is not None  # Marseille found in the offline city list
    assert fatima.status_changes.get().to_status == Participant.Status.APPLIED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@example.org"]
    assert "Mentorat interculturel" in mail.outbox[0].subject


def test_the_consent_text_shown_is_recorded_as_given_online(cast, client):
    client.post(URL.format(lang="en", role="mentee"), mentee_data())
    consents = {c.purpose: c for c in applicants().get().consents.all()}
    assert set(consents) == {Consent.Purpose.DATA_PROCESSING, Consent.Purpose.SHARE_WITH_PARTNER}
    data = consents[Consent.Purpose.DATA_PROCESSING]
    assert data.method == Consent.Method.ONLINE_FORM
    assert "Hors Pistes" in data.text and "Mentorat interculturel" in data.text
    page = client.get(URL.format(lang="en", role="mentee")).content.decode()
    assert data.text.replace("“", "&ldquo;")[:40] in page or data.text[:40] in page
    assert data.recorded_by is None and data.given_at is not None


def test_the_optional_consent_is_recorded_only_when_ticked(cast, client):
    client.post(URL.format(lang="fr", role="mentee"), mentee_data(consent_share=None))
    purposes = list(applicants().get().consents.values_list("purpose", flat=True))
    assert purposes == [Consent.Purpose.DATA_PROCESSING]


def test_the_application_is_audited_without_personal_values(cast, client):
    client.post(URL.format(lang="fr", role="mentee"), mentee_data())
    fatima = applicants().get()
    events = AuditEvent.objects.filter(target_id=str(fatima.pk), action="participant.create")
    assert events.count() == 1
    assert "Fatima" not in str(events.get().detail)


def test_applying_in_arabic_stores_arabic_and_mails_in_arabic(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL.format(lang="ar", role="mentee"), mentee_data())
    assert response["Location"] == "/ar/p/hors-pistes/mentorat-interculturel/applied/"
    assert applicants().get().language == "ar"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Content-Language"] == "ar"


def test_the_confirmation_mail_is_sent_only_after_the_commit(cast, client):
    # Without the commit callbacks running, nothing leaves: a rolled-back application mails no one.
    client.post(URL.format(lang="fr", role="mentee"), mentee_data())
    assert applicants().count() == 1
    assert mail.outbox == []


def test_a_mentee_may_give_only_a_phone_number(cast, client, django_capture_on_commit_callbacks):
    data = mentee_data(email="", phone="06 12 34 56 78", last_name="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL.format(lang="fr", role="mentee"), data)
    assert response.status_code == 302
    assert applicants().get().phone == "+33612345678"
    assert mail.outbox == []


def test_the_shortest_mentee_application_is_name_contact_language_and_consent(cast, client):
    data = {
        "first_name": "Oleh",
        "email": "oleh@example.org",
        "languages_lang_0": "uk",
        "languages_level_0": "native",
        "mode_preference": "either",
        "consent_data": "on",
    }
    response = client.post(URL.format(lang="uk", role="mentee"), data)
    assert response.status_code == 302
    assert applicants().get().language == "uk"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"email": "", "phone": ""}, "email", "Give us an e-mail address or a phone number"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"phone": "12"}, "phone", "This phone number is not valid."),
        (
            {"languages_lang_0": "", "languages_level_0": "", "languages_lang_1": ""}
            | {"languages_level_1": ""},
            "languages",
            "Tell us at least one language you speak.",
        ),
        ({"languages_level_0": ""}, "languages", "choose both the language and the level"),
        ({"consent_data": None}, "consent_data", "Please tick this box"),
        ({"birth_year": "1800"}, "birth_year", "greater than or equal to 1900"),
        ({"needs": ["teleportation"]}, "needs", "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_kept_and_nothing_is_saved(cast, client, changes, field, message):
    response = client.post(URL.format(lang="en", role="mentee"), mentee_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    page = response.content.decode()
    assert message.replace("'", "&#x27;") in page
    assert 'role="alert"' in page
    assert "Rahimi" in page  # what the user typed is kept
    assert applicants().count() == 0
    assert mail.outbox == []


def test_a_need_outside_the_programme_list_is_refused(cast, client):
    response = client.post(URL.format(lang="en", role="mentee"), mentee_data(needs=["housing"]))
    assert response.status_code == 200
    assert "needs" in response.context["form"].errors


def test_a_programme_without_needs_offers_the_whole_list(cast, client):
    Programme.objects.filter(pk=cast.programme.pk).update(needs=[])
    response = client.post(URL.format(lang="en", role="mentee"), mentee_data(needs=["housing"]))
    assert response.status_code == 302
    assert applicants().get().needs == ["housing"]


def test_a_mentor_applies_with_support_sector_and_capacity(cast, client):
    data = mentee_data(
        first_name="Jean",
        email="jean@example.org",
        needs=None,
        # The intercultural programme's own supports, not N2WA's job-mentoring ones.
        offers=["listening", "discovery"],
        sector="22",
        occupation="Infirmier",
        capacity="2",
    )
    response = client.post(URL.format(lang="fr", role="mentor"), data)
    assert response.status_code == 302
    jean = applicants().get()
    assert jean.role == Participant.Role.MENTOR
    assert jean.offers == ["listening", "discovery"]
    assert jean.sector == "22"
    assert jean.capacity == 2
    assert jean.needs == []


def test_the_mentor_capacity_starts_at_the_programme_default(cast, client):
    Programme.objects.filter(pk=cast.programme.pk).update(default_mentor_capacity=3)
    page = client.get(URL.format(lang="fr", role="mentor")).content.decode()
    assert 'name="capacity" value="3"' in page


def test_the_honeypot_pretends_success_and_saves_nothing(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL.format(lang="fr", role="mentee"), mentee_data(website="http://spam.example")
        )
    assert response.status_code == 302
    assert response["Location"].endswith("/applied/")
    assert applicants().count() == 0
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people_and_keyboards(cast, client):
    page = client.get(URL.format(lang="fr", role="mentee")).content.decode()
    honeypot = page.split('class="honeypot"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot


# The limit counts in fixed windows (django-ratelimit): a day's window, so that no test straddles
# the end of one and starts afresh half-way (it did with a minute's, on a slow run).
@override_settings(APPLY_RATE="2/d")
def test_too_many_applications_from_one_connection_are_refused(cast, client):
    url = URL.format(lang="en", role="mentee")
    for n in range(2):
        response = client.post(url, mentee_data(email=f"person{n}@example.org"))
        assert response.status_code == 302
    response = client.post(url, mentee_data(email="third@example.org"))
    assert response.status_code == 429
    assert "Too many applications were sent from this connection" in response.content.decode()
    assert applicants().count() == 2
    # Reading the form is never limited.
    assert client.get(url).status_code == 200


@override_settings(APPLY_RATE="1/d")
def test_the_rate_limit_is_per_connection(cast, client):
    url = URL.format(lang="en", role="mentee")
    assert client.post(url, mentee_data(), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(url, mentee_data(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(url, mentee_data(), REMOTE_ADDR="10.0.0.2").status_code == 302


@override_settings(APPLY_RATE="1/d", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_has_its_own_budget(cast, client):
    url = URL.format(lang="en", role="mentee")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.post(url, mentee_data(), **first).status_code == 302
    assert client.post(url, mentee_data(), **first).status_code == 429
    assert client.post(url, mentee_data(), **second).status_code == 302
    # What the client prepends itself does not buy a new budget.
    forged = {**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1"}
    assert client.post(url, mentee_data(), **forged).status_code == 429


@override_settings(APPLY_RATE="1/d")
def test_the_rate_limit_is_counted_in_the_database_every_worker_shares(cast, client):
    from django.conf import settings
    from django.db import connection

    url = URL.format(lang="en", role="mentee")
    assert client.post(url, mentee_data()).status_code == 302
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a setting, not input)
        assert cursor.fetchone()[0] == 1
    assert client.post(url, mentee_data()).status_code == 429


@pytest.mark.parametrize("method", ["get", "post"])
def test_closed_applications_get_a_friendly_page_and_save_nothing(cast, client, method):
    Programme.objects.filter(pk=cast.programme.pk).update(applications_open=False)
    response = getattr(client, method)(URL.format(lang="en", role="mentee"), mentee_data())
    assert response.status_code == 200
    assert "Applications are closed" in response.content.decode()
    assert applicants().count() == 0


# City-to-city: teams.


@pytest.fixture
def cities(cast):
    return Programme.objects.create(
        organisation=cast.org_a,
        name="IncluCities",
        slug="inclucities",
        kind=Programme.Kind.CITY_TO_CITY,
        mode=Programme.Mode.HYBRID,
        languages=["en", "fr"],
        needs=["integration_policy", "housing"],
        applications_open=True,
        listed=True,
    )


TEAM_URL = "/en/p/hors-pistes/inclucities/apply/{role}/"


def team_data(**changes) -> dict:
    data = {
        "website": "",
        "team_name": "Ville de Tétouan",
        "country": "MA",
        "city": "Tétouan",
        "languages_lang_0": "fr",
        "languages_level_0": "C1",
        "mode_preference": "either",
        "needs": ["integration_policy"],
        "motivations": "Learn from a mentor city.",
        "consent_data": "on",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "12",
        "members-0-name": "Samira Alaoui",
        "members-0-function": "Deputy mayor",
        "members-0-member_organisation": "Municipality",
        "members-0-email": "samira@tetouan.example",
        "members-0-is_representative": "on",
        "members-1-name": "Youssef B.",
        "members-1-function": "Coordinator",
        "members-1-member_organisation": "Local NGO",
        "members-1-email": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_city_applies_as_a_team_with_its_members(
    cast, client, cities, django_capture_on_commit_callbacks
):
    page = client.get(TEAM_URL.format(role="mentee")).content.decode()
    assert "members-TOTAL_FORMS" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TEAM_URL.format(role="mentee"), team_data())
    assert response.status_code == 302
    team = Participant.objects.get(programme=cities)
    assert team.kind == Participant.Kind.TEAM
    assert team.role == Participant.Role.MENTEE
    assert team.team_name == "Ville de Tétouan"
    assert team.country_of_origin == "MA"
    assert team.email == "samira@tetouan.example"
    assert team.needs == ["integration_policy"]
    members = list(team.members.values_list("name", "function", "is_representative"))
    assert members == [
        ("Samira Alaoui", "Deputy mayor", True),
        ("Youssef B.", "Coordinator", False),
    ]
    assert team.consents.count() == 1
    assert mail.outbox[0].to == ["samira@tetouan.example"]


def test_a_mentor_city_offers_support(cast, client, cities):
    data = team_data(needs=None, offers=["peer_exchange"], team_name="Ville de Gand")
    assert client.post(TEAM_URL.format(role="mentor"), data).status_code == 302
    team = Participant.objects.get(programme=cities)
    assert team.role == Participant.Role.MENTOR
    assert team.offers == ["peer_exchange"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members-0-is_representative": None}, "exactly one member"),
        ({"members-1-is_representative": "on"}, "exactly one member"),
        ({"members-0-email": ""}, "member who represents the team"),
        (
            {"members-0-name": "", "members-0-function": "", "members-0-member_organisation": "",
             "members-0-email": "", "members-0-is_representative": None, "members-1-name": "",
             "members-1-function": "", "members-1-member_organisation": ""},
            "Please submit at least 1 form.",
        ),
    ],
)  # fmt: skip
def test_a_team_needs_exactly_one_representative_with_an_email(
    cast, client, cities, changes, message
):
    response = client.post(TEAM_URL.format(role="mentee"), team_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["members"].non_form_errors())
    assert "Ville de Tétouan" in response.content.decode()
    assert not Participant.objects.filter(programme=cities).exists()


def test_a_team_without_a_name_is_refused(cast, client, cities):
    response = client.post(TEAM_URL.format(role="mentee"), team_data(team_name=""))
    assert response.status_code == 200
    assert "team_name" in response.context["form"].errors
    assert not Participant.objects.filter(programme=cities).exists()


def test_the_availability_labels_follow_the_visitors_language(cast, client):
    assert "Monday" in client.get(URL.format(lang="en", role="mentee")).content.decode()
    assert "lundi" in client.get(URL.format(lang="fr", role="mentee")).content.decode().lower()


def test_the_availability_is_saved(cast, client):
    client.post(
        URL.format(lang="en", role="mentee"), mentee_data(availability=["mon_am", "sat_ev"])
    )
    assert applicants().get().availability == ["mon_am", "sat_ev"]


PHISHING = "Your account is locked\n\nLog in at https://evil.example/login now\n"


def test_the_confirmation_carries_no_typed_text_and_greets_in_the_applicants_language(
    cast, client, django_capture_on_commit_callbacks
):
    typed = mentee_data(
        first_name="Fatima " + PHISHING,
        last_name=PHISHING,
        interests="https://evil.example/a",
        motivations=PHISHING,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL.format(lang="ar", role="mentee"), typed)
    assert "evil.example" in applicants().get().first_name  # the application itself is kept
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "ar"
    for text in (message.subject, message.body):
        assert "evil.example" not in text
        assert "locked" not in text
        assert "Fatima" not in text
    assert "\n" not in message.subject
    assert message.body.startswith("مرحبًا،\n")
    assert "Mentorat interculturel" in message.subject
    assert "Hors Pistes" in message.body


def test_a_teams_confirmation_does_not_repeat_its_typed_name(
    cast, client, cities, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(TEAM_URL.format(role="mentee"), team_data(team_name=PHISHING))
    [message] = mail.outbox
    assert "evil.example" not in str(message.subject) + str(message.body)
    assert message.body.startswith("Hello,\n")


@pytest.mark.parametrize("interests", ["cuisine, foot\x00ball", "\x00", "cuisine,\x00"])
def test_a_null_character_in_an_interest_is_refused_on_the_field_and_nothing_is_saved(
    cast, client, interests
):
    # PostgreSQL refuses a NUL in a JSON list: it must be stopped on the form, item by item.
    response = client.post(URL.format(lang="en", role="mentee"), mentee_data(interests=interests))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Null characters are not allowed." in " ".join(errors["interests"]), errors
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Rahimi" in page  # what the applicant typed is kept
    assert applicants().count() == 0
    assert mail.outbox == []


def test_invisible_control_characters_are_removed_from_interests(cast, client):
    response = client.post(
        URL.format(lang="en", role="mentee"), mentee_data(interests="cui\x1bsine, foot\x7fball")
    )
    assert response.status_code == 302
    assert applicants().get().interests == ["cuisine", "football"]


def test_the_language_picker_suggests_the_programmes_languages_and_reads_typed_names(cast, client):
    from django.urls import reverse
    from django.utils import translation
    from django.utils.datastructures import MultiValueDict

    from binome.people.fields import LanguageLevelsField, LanguageLevelsWidget

    with translation.override("fr"):
        url = reverse("applications:apply", args=[cast.org_a.slug, cast.programme.slug, "mentee"])
        page = client.get(url).content.decode()
        datalist = page[page.index("<datalist") : page.index("</datalist>")]
        # The programme's languages (fr, ar, en) come first, named in French.
        assert datalist.index('"français"') < datalist.index('"arabe"') < datalist.index('"afar"')
        field = LanguageLevelsField()
        typed = {"languages_lang_0": "Arabe", "languages_level_0": "native"}
        pairs = LanguageLevelsWidget().value_from_datadict(typed, MultiValueDict(), "languages")
        assert field.clean(pairs) == {"ar": "native"}


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_the_apply_form_shows_its_steps_each_leading_to_its_part(cast, client, role):
    import re

    page = client.get(URL.format(lang="en", role=role)).content.decode()
    steps = re.findall(r'<li><a href="#(step-[a-z]+)">', page)
    assert len(steps) == 7
    for step in steps:
        assert f'id="{step}"' in page, step
    assert page.index('class="apply-steps"') < page.index('class="apply-form"')
