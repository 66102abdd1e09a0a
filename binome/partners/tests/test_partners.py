"""Partners, their contacts, referrals of participants and partners carrying objectives."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from binome.core.errors import Refused
from binome.duos.models import Duo, Objective
from binome.partners import selectors, services
from binome.partners.models import ObjectivePartner, Partner, PartnerContact, Referral
from binome.testing import CANARY, PARTIES_AND_STAFF, ROLES, STAFF_ONLY, make_duo

pytestmark = pytest.mark.django_db


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def partner(cast):
    partner = services.partner_create(
        organisation=cast.org_a,
        actor=cast.carla,
        name="France Travail Marseille",
        kind=Partner.Kind.EMPLOYMENT,
        description="Job search workshops",
        translations={"description": {"ar": "ورشات البحث عن عمل"}},
    )
    services.contact_create(partner=partner, actor=cast.carla, name="Paul Partner")
    return partner


@pytest.fixture
def referral(cast, partner):
    return services.referral_create(
        participant=cast.amina_participant,
        partner=partner,
        actor=cast.carla,
        referred_on=timezone.localdate(),
        reason="Needs help with a CV",
    )


@pytest.fixture
def other_partner(cast):
    return Partner.objects.create(organisation=cast.org_b, name=f"Partner {CANARY}")


def pages(cast, partner, referral):
    contact = partner.contacts.first()
    participant = (cast.programme.pk, cast.amina_participant.pk)
    return [
        en("partners:list", cast.org_a.pk),
        en("partners:create", cast.org_a.pk),
        en("partners:detail", partner.pk),
        en("partners:edit", partner.pk),
        en("partners:contact_create", partner.pk),
        en("partners:contact_edit", partner.pk, contact.pk),
        en("partners:refer", *participant),
        en("partners:referral_outcome", referral.pk),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_partner_pages_are_for_the_organisations_coordinators_and_admins(
    cast, client_as, partner, referral, other_partner, role
):
    client = client_as(cast.users()[role])
    for url in pages(cast, partner, referral):
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
        if response.status_code == 200:
            assert CANARY not in response.content.decode(), url


@pytest.mark.parametrize("role", ROLES)
def test_the_partners_of_objectives_page_is_for_staff_only(cast, client_as, role):
    duo = make_duo(cast)
    response = client_as(cast.users()[role]).get(en("partners:objective_partner", duo.pk))
    assert response.status_code == STAFF_ONLY[role]


def test_another_organisations_partner_is_a_404(cast, client_as, other_partner):
    client = client_as(cast.carla)
    assert client.get(en("partners:detail", other_partner.pk)).status_code == 404
    assert client.get(en("partners:list", cast.org_b.pk)).status_code == 404


def test_a_coordinator_adds_a_partner_with_its_description_in_arabic(cast, client_as):
    cast.org_a.content_languages = ["fr", "ar"]
    cast.org_a.save(update_fields=["content_languages"])
    response = client_as(cast.carla).post(
        en("partners:create", cast.org_a.pk),
        {
            "name": "École de langues du Panier",
            "kind": "language",
            "description": "Cours de français",
            "description__ar": "دروس اللغة الفرنسية",
        },
    )
    partner = Partner.objects.get(organisation=cast.org_a)
    assert response.status_code == 302
    assert partner.translations == {"description": {"ar": "دروس اللغة الفرنسية"}}
    assert partner.localized("description", "ar").text == "دروس اللغة الفرنسية"


def test_two_partners_of_one_organisation_cannot_share_a_name(cast, client_as, partner):
    response = client_as(cast.carla).post(
        en("partners:create", cast.org_a.pk), {"name": "france travail marseille", "kind": "other"}
    )
    assert response.status_code == 200
    assert "already has a partner of this name" in response.content.decode()
    assert Partner.objects.filter(organisation=cast.org_a).count() == 1


def test_an_edit_on_an_old_version_is_refused_and_the_input_kept(cast, client_as, partner):
    services.partner_update(partner=partner, actor=cast.adam, version=1, phone="04 91 00 00 00")
    response = client_as(cast.carla).post(
        en("partners:edit", partner.pk),
        {"name": "France Travail", "kind": "employment", "version": "1"},
    )
    assert response.status_code == 200
    assert 'value="France Travail"' in response.content.decode()
    partner.refresh_from_db()
    assert partner.name == "France Travail Marseille"


def test_a_coordinator_refers_a_participant_and_the_referral_shows_on_her_page(
    cast, client_as, partner
):
    client = client_as(cast.carla)
    contact = partner.contacts.get()
    response = client.post(
        en("partners:refer", cast.programme.pk, cast.amina_participant.pk),
        {
            "partner": partner.pk,
            "contact": contact.pk,
            "referred_on": timezone.localdate().isoformat(),
            "reason": "Help with a CV",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.partner, referral.contact, referral.by) == (partner, contact, cast.carla)
    page = client.get(en("people:detail", cast.programme.pk, cast.amina_participant.pk))
    assert "Help with a CV" in page.content.decode()
    assert "France Travail Marseille" in page.content.decode()


def test_a_referral_to_another_organisations_partner_is_refused(cast, client_as, other_partner):
    response = client_as(cast.carla).post(
        en("partners:refer", cast.programme.pk, cast.amina_participant.pk),
        {"partner": other_partner.pk, "referred_on": "2026-01-01", "reason": "x"},
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()
    with pytest.raises(Refused):
        services.referral_create(
            participant=cast.amina_participant,
            partner=other_partner,
            actor=cast.carla,
            referred_on=timezone.localdate(),
            reason="x",
        )


def test_a_contact_of_another_partner_is_refused(cast, partner):
    elsewhere = Partner.objects.create(organisation=cast.org_a, name="Habitat")
    stranger = PartnerContact.objects.create(partner=elsewhere, name="Hana")
    with pytest.raises(Refused):
        services.referral_create(
            participant=cast.amina_participant,
            partner=partner,
            contact=stranger,
            actor=cast.carla,
            referred_on=timezone.localdate(),
            reason="x",
        )


def test_a_referral_without_a_reason_or_a_date_is_refused_with_a_message(cast, client_as, partner):
    response = client_as(cast.carla).post(
        en("partners:refer", cast.programme.pk, cast.amina_participant.pk),
        {"partner": partner.pk, "referred_on": "not a date", "reason": ""},
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="errors"') >= 2
    assert not Referral.objects.exists()


def test_an_outcome_before_the_referral_is_refused(cast, client_as, referral):
    before = referral.referred_on - datetime.timedelta(days=3)
    response = client_as(cast.carla).post(
        en("partners:referral_outcome", referral.pk),
        {"outcome": "achieved", "outcome_on": before.isoformat(), "version": "1"},
    )
    assert response.status_code == 200
    assert "cannot come before the referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.PENDING


def test_an_outcome_is_recorded_and_dated_today_by_default(cast, client_as, referral):
    response = client_as(cast.carla).post(
        en("partners:referral_outcome", referral.pk),
        {"outcome": "in_progress", "outcome_note": "Workshop booked", "version": "1"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == ("in_progress", timezone.localdate())
    assert referral.version == 2


def test_partner_contacts_of_lists_active_contacts_of_active_partners_only(cast, partner):
    gone = Partner.objects.create(organisation=cast.org_a, name="Closed", active=False)
    PartnerContact.objects.create(partner=gone, name="Gina")
    PartnerContact.objects.create(partner=partner, name="Left", active=False)
    Partner.objects.create(organisation=cast.org_b, name="B").contacts.create(name="Bob")
    names = [contact.name for contact in selectors.partner_contacts_of(cast.org_a)]
    assert names == ["Paul Partner"]


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_shows_the_partner_of_an_objective_to_the_duo_and_staff(
    cast, client_as, partner, role
):
    duo = make_duo(cast)
    objective = Objective.objects.create(duo=duo, title="Find a job")
    services.objective_partner_set(
        objective=objective,
        actor=cast.carla,
        partner=partner,
        contact=partner.contacts.get(),
        role="CV workshop",
    )
    response = client_as(cast.users()[role]).get(en("duos:plan", duo.pk))
    assert response.status_code == PARTIES_AND_STAFF[role]
    if response.status_code == 200:
        body = response.content.decode()
        assert "France Travail Marseille" in body and "CV workshop" in body
        # The partner's contact is for the coordinators.
        assert ("Paul Partner" in body) == (role in ("coordinator", "admin"))


def test_a_coordinator_names_and_removes_the_partner_of_an_objective(cast, client_as, partner):
    duo = make_duo(cast)
    objective = Objective.objects.create(duo=duo, title="Find a job")
    client = client_as(cast.carla)
    url = en("partners:objective_partner", duo.pk)
    response = client.post(url, {"objective": objective.pk, "partner": partner.pk, "role": "x"})
    assert response.status_code == 302
    assert ObjectivePartner.objects.get().partner == partner
    client.post(url, {"objective": objective.pk, "partner": ""})
    assert not ObjectivePartner.objects.exists()


def test_another_duos_objective_cannot_get_a_partner(cast, client_as, partner):
    duo = make_duo(cast)
    mine = Objective.objects.create(duo=duo, title="Mine")
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED)
    other = make_duo(cast)
    response = client_as(cast.carla).post(
        en("partners:objective_partner", other.pk), {"objective": mine.pk, "partner": partner.pk}
    )
    assert response.status_code == 200
    assert not ObjectivePartner.objects.exists()


def test_the_list_page_keeps_its_query_count_as_partners_grow(
    cast, client_as, django_assert_max_num_queries
):
    client = client_as(cast.carla)
    url = en("partners:list", cast.org_a.pk)
    client.get(url)
    for index in range(30):
        partner = Partner.objects.create(organisation=cast.org_a, name=f"P{index}")
        partner.contacts.create(name="C")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_coordinators_to_do_counts_referrals_waiting_for_a_month(cast, partner):
    from binome.core.next_steps import coordinator_todos

    old = timezone.localdate() - datetime.timedelta(days=40)
    for person in (cast.amina_participant, cast.marek_participant):
        Referral.objects.create(participant=person, partner=partner, referred_on=old, reason="x")
    Referral.objects.create(
        participant=cast.amina_participant,
        partner=partner,
        referred_on=timezone.localdate(),
        reason="recent",
    )
    todos = [todo for todo in coordinator_todos(cast.carla) if "/partners/" in todo.url]
    assert [todo.count for todo in todos] == [2]
    assert [todo for todo in coordinator_todos(cast.olga) if "/partners/" in todo.url] == []
