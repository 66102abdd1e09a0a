"""The demo data shows the seed programmes, loads fast, and loads twice without harm."""

import tempfile
from collections import Counter
from io import StringIO

import phonenumbers
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, TestCase, override_settings

from binome.accounts.models import Membership, User
from binome.core.models import AuditEvent
from binome.core.vocab import ISCO, SLOTS
from binome.demo.load import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from binome.people.models import Consent, Participant, StatusChange, TeamMember
from binome.people.services import TRANSITIONS
from binome.programmes.models import Organisation, Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of

MODELS = [
    Organisation,
    Programme,
    User,
    Membership,
    Participant,
    TeamMember,
    StatusChange,
    Consent,
    AuditEvent,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


# The demo's paper-signature scans go to a throwaway directory, not the project's media.
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="binome-demo-media-"))
class TestDemoData(TestCase):
    created: int

    @classmethod
    def setUpTestData(cls):
        cls.created = load_demo()

    def programme(self, kind) -> Programme:
        return Programme.objects.get(kind=kind)

    def test_it_reports_the_people_it_created(self):
        assert self.created == Participant.objects.count() > 0

    def test_a_second_load_neither_duplicates_nor_fails(self):
        before = counts()
        assert load_demo() == 0
        assert counts() == before

    def test_the_load_command_says_what_it_did(self):
        out = StringIO()
        call_command("load_demo", stdout=out)
        assert "already present" in out.getvalue()

    def test_each_seed_programme_shows_its_own_design(self):
        n2wa = self.programme(Programme.Kind.PROFESSIONAL)
        assert n2wa.uses_intercultural_method()
        cities = self.programme(Programme.Kind.CITY_TO_CITY)
        assert cities.participants.filter(availability=[]).exists()
        remote = self.programme(Programme.Kind.REMOTE)
        levels = set(
            remote.participants.filter(role=Participant.Role.MENTOR).values_list(
                "engagement", flat=True
            )
        )
        assert {"one_off", "few_sessions", "short_term", "long_term"} <= levels

    def test_the_remote_programmes_matching_follows_engagement_levels(self):
        from binome.matching import adapter

        remote = self.programme(Programme.Kind.REMOTE)
        needs = set(
            remote.participants.filter(role=Participant.Role.MENTEE).values_list(
                "engagement", flat=True
            )
        )
        assert {"one_off", "few_sessions", "short_term", ""} <= needs
        pool = adapter.build_pool(remote)
        assert pool.levels.active and pool.levels.blocked
        run = adapter.run_matching(remote)
        assert run.error == "" and run.pairs
        for pair in run.pairs:
            key = (str(pair.mentee.pk), str(pair.mentor.pk))
            assert pair.locked or key not in pool.levels.blocked

    def test_it_creates_at_least_three_organisations(self):
        slugs = set(Organisation.objects.values_list("slug", flat=True))
        assert {"hors-pistes", "cai", "inclucities"} <= slugs

    def test_hors_pistes_runs_intercultural_mentoring_in_marseille(self):
        programme = self.programme(Programme.Kind.INTERCULTURAL)
        assert programme.organisation.slug == "hors-pistes"
        assert programme.mode == Programme.Mode.IN_PERSON
        assert programme.city == "Marseille"
        assert {"language", "social_network", "culture_leisure"} <= set(programme.needs)

    def test_the_arabic_demo_mentee_reads_her_programme_in_arabic(self):
        from binome.people.models import Participant

        rania = Participant.objects.select_related("programme__organisation").get(
            email="mentee@demo.binome.test"
        )
        programme = rania.programme
        assert rania.language == "ar"
        assert "ar" in programme.organisation.content_languages
        assert programme.organisation.content_languages[0] == "fr"
        name = programme.localized("name", "ar")
        assert not name.fallback and name.text == "الإرشاد بين الثقافات"
        assert not programme.localized("description", "ar").fallback
        for seed in Programme.objects.select_related("organisation"):
            for language in seed.organisation.content_languages[1:]:
                assert not seed.localized("name", language).fallback, (seed.slug, language)

    def test_the_cai_runs_six_months_of_professional_mentoring_at_two_meetings_a_month(self):
        programme = self.programme(Programme.Kind.PROFESSIONAL)
        assert programme.organisation.slug == "cai"
        assert programme.mode == Programme.Mode.HYBRID
        assert programme.duration_months == 6
        assert programme.meetings_per_month == 2
        assert set(programme.needs) == {"employment", "professional_network", "language"}
        assert any("Belgique" in theme for theme in programme.themes)
        assert len(programme.themes) == 5

    def test_the_network_of_cities_runs_city_to_city_mentoring(self):
        programme = self.programme(Programme.Kind.CITY_TO_CITY)
        assert programme.organisation.slug == "inclucities"
        assert programme.has_teams
        assert len(programme.themes) == 4

    def test_every_programme_has_about_forty_participants_and_mentors_and_mentees(self):
        for programme in Programme.objects.all():
            roles = Counter(programme.participants.values_list("role", flat=True))
            total = sum(roles.values())
            assert 35 <= total <= 45, programme
            assert 0.35 <= roles[Participant.Role.MENTOR] / total <= 0.55, programme

    def test_the_directory_lists_every_programme_and_one_is_closed(self):
        assert not Programme.objects.filter(listed=False).exists()
        assert Programme.objects.filter(applications_open=False).count() == 1
        open_kinds = Programme.objects.filter(applications_open=True).values_list("kind", flat=True)
        assert {"intercultural", "professional", "city_to_city"} <= set(open_kinds)

    def test_people_speak_the_languages_of_the_seeds_with_cefr_levels(self):
        people = Participant.objects.filter(kind=Participant.Kind.PERSON)
        spoken = Counter(code for languages in people.values_list("languages", flat=True)
                         for code in languages)  # fmt: skip
        for code in ["ar", "prs", "ps", "ti", "uk", "es", "fr", "en", "fa", "so"]:
            assert spoken[code] >= 1, code
        levels = {level for person in people for level in person.languages.values()}
        assert levels <= {"A1", "A2", "B1", "B2", "C1", "C2", "native"}

    def test_people_have_varied_sectors_cities_and_coordinates(self):
        people = Participant.objects.filter(kind=Participant.Kind.PERSON)
        sectors = {sector for sector in people.values_list("sector", flat=True) if sector}
        assert {"2221", "2512", "5120", "7115", "8322"} <= sectors
        assert all(sector[:2] in ISCO for sector in sectors)
        assert {"Marseille", "Aubagne", "Bruxelles", "Namur"} <= set(
            people.values_list("city", flat=True)
        )
        assert not Participant.objects.filter(latitude__isnull=True).exists()
        marseille = people.filter(city="Marseille").first()
        assert marseille is not None
        assert marseille.latitude is not None and marseille.longitude is not None
        assert abs(marseille.latitude - 43.3) < 0.1
        assert abs(marseille.longitude - 5.38) < 0.1

    def test_profiles_are_complete_and_valid(self):
        for person in Participant.objects.filter(kind=Participant.Kind.PERSON):
            number = phonenumbers.parse(person.phone)
            assert phonenumbers.is_valid_number(number), person.phone
            assert person.email.endswith(("@example.org", "@demo.binome.test"))
            assert person.availability and set(person.availability) <= set(SLOTS)
            # Adults, except the remote programme's young mentee with a guardian.
            assert person.birth_year and person.birth_year > 1940
            assert person.birth_year < 2010 or person.guardians.exists(), person.birth_year
            lists = vocabulary_of(person.programme)
            if person.role == Participant.Role.MENTOR:
                # Each programme's own supports: N2WA's five, Hors Pistes' social ones…
                offered = lists.codes_in_use(Vocabulary.SUPPORTS)
                assert person.offers and set(person.offers) <= set(offered)
            else:
                assert set(person.needs) <= set(lists.codes_in_use(Vocabulary.NEEDS))
                assert set(person.needs) <= set(person.programme.needs)
                assert person.needs
                assert person.country_of_origin

    def test_statuses_spread_over_the_pipeline_with_most_people_ready(self):
        for programme in Programme.objects.all():
            statuses = Counter(programme.participants.values_list("status", flat=True))
            assert statuses.most_common(1)[0][0] == Participant.Status.READY, programme
        everyone = Counter(Participant.objects.values_list("status", flat=True))
        for status in ["applied", "interviewed", "ready", "withdrawn"]:
            assert everyone[status] >= 2, status

    def test_every_timeline_follows_the_pipeline_in_time_order(self):
        changes = StatusChange.objects.order_by("participant_id", "pk")
        by_participant: dict[int, list[StatusChange]] = {}
        for change in changes:
            by_participant.setdefault(change.participant_id, []).append(change)
        for participant in Participant.objects.all():
            steps = by_participant[participant.pk]
            assert steps[0].from_status == "" and steps[0].to_status == "applied"
            for before, after in zip(steps, steps[1:], strict=False):
                assert after.to_status in TRANSITIONS[before.to_status]
                assert before.at <= after.at
            assert steps[-1].to_status == participant.status
            assert participant.created_at == steps[0].at

    def test_every_participant_has_recorded_consents_and_an_audit_row(self):
        consented = set(
            Consent.objects.filter(purpose=Consent.Purpose.DATA_PROCESSING).values_list(
                "participant_id", flat=True
            )
        )
        assert consented == set(Participant.objects.values_list("pk", flat=True))
        audited = set(
            AuditEvent.objects.filter(action="participant.create").values_list(
                "target_id", flat=True
            )
        )
        assert audited == {str(pk) for pk in Participant.objects.values_list("pk", flat=True)}

    def test_only_mentees_and_mentors_have_a_legal_status_never_teams(self):
        assert not Participant.objects.filter(kind=Participant.Kind.TEAM).exclude(legal_status="")
        cai_mentees = self.programme(Programme.Kind.PROFESSIONAL).participants.filter(
            role=Participant.Role.MENTEE
        )
        assert set(cai_mentees.values_list("legal_status", flat=True)) == {"asylum_seeker"}

    def test_teams_have_members_and_exactly_one_representative(self):
        teams = Participant.objects.filter(kind=Participant.Kind.TEAM).prefetch_related("members")
        assert teams.count() >= 20
        for team in teams:
            members = list(team.members.all())
            assert len(members) >= 3, team
            assert sum(member.is_representative for member in members) == 1, team
            assert team.programme.kind == Programme.Kind.CITY_TO_CITY

    def test_the_four_real_pairs_of_seed_002_are_there(self):
        teams = Participant.objects.filter(kind=Participant.Kind.TEAM)
        mentees = set(teams.filter(role="mentee").values_list("team_name", flat=True))
        mentors = set(teams.filter(role="mentor").values_list("team_name", flat=True))
        assert {"Capaci", "Saint-Jean-de-la-Ruelle", "Levadia", "Jelgava"} <= mentees
        assert {"Mechelen", "City of Brussels", "Fuenlabrada", "Schaerbeek"} <= mentors
        associations = set(TeamMember.objects.values_list("member_organisation", flat=True))
        for acronym in ["AICCRE", "VVSG", "AFCCRE", "BRULOCALIS", "KEDE", "FEMP", "LALRG"]:
            assert any(acronym in name for name in associations), acronym

    def test_every_demo_login_authenticates_with_the_published_password(self):
        request = RequestFactory().post("/fr/accounts/login/")
        for email, _what in DEMO_LOGINS:
            user = authenticate(request, username=email, password=DEMO_PASSWORD)
            assert user is not None, email
            assert user.email == email

    def test_demo_logins_cover_every_role(self):
        emails = [email for email, _what in DEMO_LOGINS]
        roles = set(
            Membership.objects.filter(user__email__in=emails).values_list(
                "organisation__slug", "role"
            )
        )
        assert ("hors-pistes", "admin") in roles
        assert ("hors-pistes", "coordinator") in roles
        assert ("hors-pistes", "viewer") in roles
        assert ("cai", "coordinator") in roles

    def test_the_demo_mentor_and_mentee_are_hors_pistes_participants(self):
        mentor = User.objects.get(email="mentor@demo.binome.test")
        mentee = User.objects.get(email="mentee@demo.binome.test")
        assert mentor.participant.role == Participant.Role.MENTOR
        assert mentee.participant.role == Participant.Role.MENTEE
        for user in [mentor, mentee]:
            assert user.participant.programme.organisation.slug == "hors-pistes"
            assert not user.memberships.exists()
        assert mentee.language == mentee.participant.language == "ar"

    def test_demo_logins_prints_every_account_and_the_password(self):
        out = StringIO()
        call_command("demo_logins", stdout=out)
        for email, _what in DEMO_LOGINS:
            assert email in out.getvalue()
        assert DEMO_PASSWORD in out.getvalue()


def test_the_generated_people_are_the_same_every_time():
    from binome.demo.data import PROGRAMMES
    from binome.demo.load import demo_people

    for spec in PROGRAMMES:
        first = [person.fields for person in demo_people(spec)]
        assert first == [person.fields for person in demo_people(spec)]
        emails = [fields["email"] for fields in first]
        assert len(emails) == len(set(emails))
