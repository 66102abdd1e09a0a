"""The audit trail screen: who may open it, what each row shows, and its filters."""

import pytest
from django.urls import reverse

from binome.accounts.models import Membership
from binome.core.models import AuditEvent
from binome.people import services as people
from binome.people.models import Consent, Participant
from binome.privacy.tests.helpers import ADMIN_ONLY, audit_url, event, export_url, paris, text
from binome.testing import CANARY, make_duo

pytestmark = pytest.mark.django_db


def test_the_audit_trail_and_its_export_answer_each_role_exactly(cast, client_as):
    for url in (audit_url(cast.org_a), export_url(cast.org_a)):
        for role, user in cast.users().items():
            response = client_as(user).get(url)
            assert response.status_code == ADMIN_ONLY[role], (role, url)
            if user is None:
                assert response["Location"].startswith(reverse("accounts:login")), role
            if response.status_code == 200:
                assert CANARY not in text(response), role


def test_a_missing_organisation_is_a_404_like_a_forbidden_one(cast, client_as):
    adam = client_as(cast.adam)
    assert adam.get(audit_url(cast.org_b)).status_code == 404
    assert adam.get("/fr/organisations/999999/audit/").status_code == 404
    assert adam.get(export_url(cast.org_b)).status_code == 404


def test_an_admin_of_organisation_b_sees_b_and_never_a(cast, client_as):
    Membership.objects.filter(user=cast.olga).update(role=Membership.Role.ADMIN)
    event(
        actor=cast.adam, organisation=cast.org_a, action="programme.update", target=cast.programme
    )
    olga = client_as(cast.olga)

    assert olga.get(audit_url(cast.org_a)).status_code == 404
    assert olga.get(export_url(cast.org_a)).status_code == 404
    page = text(olga.get(audit_url(cast.org_b)))
    assert CANARY in page  # B's own participant, created in B's trail
    for name in ("Amina Haddad", "Marek Nowak", "Adam Admin", "Mentorat interculturel"):
        assert name not in page
    csv = text(olga.get(export_url(cast.org_b)))
    assert CANARY in csv and "Amina" not in csv and "Adam" not in csv


def test_the_list_shows_the_organisations_events_newest_first(cast, client_as):
    event(
        actor=cast.carla,
        organisation=cast.org_a,
        action="participant.update",
        target=cast.amina_participant,
        at=paris(2025, 3, 1),
        fields=["phone"],
    )
    event(
        actor=cast.adam,
        organisation=cast.org_a,
        action="programme.update",
        target=cast.programme,
        at=paris(2025, 3, 2),
        fields=["name"],
    )
    response = client_as(cast.adam).get(audit_url(cast.org_a))
    # The cast's participants were created today, after the two events of 2025.
    actions = [row.action for row in response.context["rows"]]
    assert actions == [
        "participant.create",
        "participant.create",
        "programme.update",
        "participant.update",
    ]
    assert "4 événements" in text(response)
    table = text(response).split("<tbody>")[1]
    assert table.index("Programme modifié") < table.index("Fiche du ou de la participant·e")
    assert CANARY not in text(response)


def test_each_row_says_when_who_what_and_on_which_record_without_any_value(cast, client_as):
    event(
        actor=cast.carla,
        organisation=cast.org_a,
        action="participant.update",
        target=cast.amina_participant,
        # 23:30 in Paris is 21:30 UTC in summer: the screen shows Paris time.
        at=paris(2025, 7, 14, 23, 30),
        fields=["legal_status"],
        note="SECRET-VALUE-1",
    )
    event(
        actor=None,
        organisation=cast.org_a,
        action="something.new",
        target=cast.programme,
        count=7,
    )
    page = text(client_as(cast.adam).get(audit_url(cast.org_a)))

    assert "14 juil. 2025, 23:30" in page  # CLDR's medium date, in the site's time zone
    assert "Carla Coordinatrice" in page
    assert "Fiche du ou de la participant·e modifiée" in page
    detail = reverse("people:detail", args=[cast.programme.pk, cast.amina_participant.pk])
    assert f'href="{detail}">Amina Haddad</a>' in page
    assert f"participant·e #{cast.amina_participant.pk}" in page
    assert f"programme #{cast.programme.pk}" in page
    # The detail's keys, never its values (not even field names or counts).
    assert "<code>fields</code> <code>note</code>" in page
    assert "SECRET-VALUE-1" not in page and "legal_status" not in page
    assert "<code>count</code>" in page and ">7<" not in page
    # An action without a label is shown as its code; an event without an account as "système".
    assert "<code>something.new</code>" in page
    assert "système" in page


def test_the_list_is_in_english_for_an_admin_reading_in_english(cast, client_as):
    page = text(client_as(cast.adam).get(audit_url(cast.org_a).replace("/fr/", "/en/", 1)))
    assert "Audit trail" in page and "Participant created" in page and "system" in page


def test_the_person_filter_shows_the_events_about_that_person(cast, client_as):
    duo = make_duo(cast)
    consent = people.consent_record(
        participant=cast.amina_participant,
        purpose=Consent.Purpose.DATA_PROCESSING,
        text="ok",
        method=Consent.Method.ORAL,
        actor=cast.carla,
    )
    event(
        actor=cast.carla, organisation=cast.org_a, action="x.marek", target=cast.marek_participant
    )
    event(actor=cast.carla, organisation=cast.org_a, action="x.programme", target=cast.programme)

    response = client_as(cast.adam).get(audit_url(cast.org_a, person=cast.amina_participant.pk))
    page = text(response).split("<tbody>")[1]

    assert "Concernant Amina Haddad" in text(response)
    assert f"participant·e #{cast.amina_participant.pk}" in page
    assert f"consentement #{consent.pk}" in page
    assert f"binôme #{duo.pk}" in page  # her duo's start
    assert "x.marek" not in page and "x.programme" not in page
    assert f"participant·e #{cast.marek_participant.pk}" not in page


def test_a_participant_id_of_another_organisation_gives_nothing(cast, client_as):
    adam = client_as(cast.adam)
    response = adam.get(audit_url(cast.org_a, person=cast.canary_participant.pk))
    page = text(response)
    assert response.context["page"].paginator.count == 0
    assert "Cette personne n'est pas un·e participant·e de cette structure." in page
    assert CANARY not in page
    csv = text(adam.get(export_url(cast.org_a, person=cast.canary_participant.pk)))
    assert CANARY not in csv
    # The header alone: the export's own event is about the organisation, not that person.
    assert len(csv.splitlines()) == 1


def test_the_name_filter_finds_people_of_this_organisation_only(cast, client_as):
    # A namesake in organisation B: typing her name in A finds A's Amina only.
    namesake = people.participant_create(
        programme=cast.programme_b,
        role=Participant.Role.MENTEE,
        first_name="Amina",
        last_name="Haddad",
        languages={"ar": "native"},
    )
    adam = client_as(cast.adam)
    response = adam.get(audit_url(cast.org_a, name="amina HADDAD"))
    targets = {row.target_id for row in response.context["rows"]}
    assert targets == {str(cast.amina_participant.pk)}
    assert str(namesake.pk) not in targets

    response = adam.get(audit_url(cast.org_a, name=CANARY))
    assert response.context["page"].paginator.count == 0
    response = adam.get(audit_url(cast.org_a, name="Nowak"))
    assert {row.target_id for row in response.context["rows"]} == {str(cast.marek_participant.pk)}


def test_the_staff_filter_offers_the_organisations_members_and_keeps_their_events(cast, client_as):
    event(actor=cast.carla, organisation=cast.org_a, action="by.carla", target=cast.programme)
    event(actor=cast.adam, organisation=cast.org_a, action="by.adam", target=cast.programme)
    adam = client_as(cast.adam)

    form = adam.get(audit_url(cast.org_a)).context["form"]
    offered = {user.pk for user in form.fields["staff"].queryset}
    assert offered == {cast.carla.pk, cast.adam.pk, cast.vera.pk}

    rows = adam.get(audit_url(cast.org_a, staff=cast.carla.pk)).context["rows"]
    assert [row.action for row in rows] == ["by.carla"]
    # Olga is no member of A: the filter is refused, and ignored like a stale bookmark.
    response = adam.get(audit_url(cast.org_a, staff=cast.olga.pk))
    assert "staff" in response.context["form"].errors


def test_the_action_filter_offers_the_actions_present_in_words(cast, client_as):
    event(
        actor=cast.adam, organisation=cast.org_a, action="programme.update", target=cast.programme
    )
    event(actor=cast.olga, organisation=cast.org_b, action="duo.close", target=cast.programme_b)
    adam = client_as(cast.adam)

    choices = dict(adam.get(audit_url(cast.org_a)).context["form"].fields["action"].choices)
    assert choices == {
        "": "Toutes les actions",
        "participant.create": "Participant·e créé·e",
        "programme.update": "Programme modifié",
    }
    rows = adam.get(audit_url(cast.org_a, action="programme.update")).context["rows"]
    assert [row.action for row in rows] == ["programme.update"]


def test_the_date_range_takes_whole_local_days_both_ends_included(cast, client_as):
    late = event(
        actor=cast.adam,
        organisation=cast.org_a,
        action="late.evening",
        target=cast.programme,
        at=paris(2025, 1, 10, 23, 30),  # 22:30 UTC
    )
    event(
        actor=cast.adam,
        organisation=cast.org_a,
        action="next.morning",
        target=cast.programme,
        at=paris(2025, 1, 11, 0, 30),
    )
    adam = client_as(cast.adam)

    def actions(**dates):
        return [row.action for row in adam.get(audit_url(cast.org_a, **dates)).context["rows"]]

    assert actions(date_from="2025-01-10", date_to="2025-01-10") == [late.action]
    assert actions(date_from="2025-01-11", date_to="2025-01-11") == ["next.morning"]
    assert actions(date_from="2025-01-10", date_to="2025-01-11") == ["next.morning", late.action]
    # Upside down: said so, and the dates are left out rather than guessed.
    response = adam.get(audit_url(cast.org_a, date_from="2025-01-11", date_to="2025-01-10"))
    assert "La date de début est après la date de fin." in text(response)
    assert (
        response.context["page"].paginator.count
        == AuditEvent.objects.filter(organisation=cast.org_a).count()
    )


def test_the_first_and_last_days_a_date_holds_are_dates_like_any_other(cast, client_as):
    event(actor=cast.adam, organisation=cast.org_a, action="a.b", target=cast.programme)
    adam = client_as(cast.adam)
    everything = AuditEvent.objects.filter(organisation=cast.org_a).count()
    # 9999-12-31 had no day after it, 0001-01-01 began before the first instant in UTC: the
    # range overflowed (a server error).
    for dates in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01", "date_to": "9999-12-31"}):
        response = adam.get(audit_url(cast.org_a, **dates))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == everything
    response = adam.get(audit_url(cast.org_a, date_from="9999-12-31"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 0


def test_the_list_is_paginated_by_a_hundred(cast, client_as):
    for n in range(120):
        event(actor=cast.adam, organisation=cast.org_a, action=f"bulk.{n}", target=cast.programme)
    adam = client_as(cast.adam)
    first = adam.get(audit_url(cast.org_a))
    assert len(first.context["rows"]) == 100
    assert first.context["rows"][0].action == "bulk.119"
    second = adam.get(audit_url(cast.org_a, page=2))
    assert len(second.context["rows"]) == 22  # the 20 left, and the cast's two participants


def test_the_query_count_does_not_grow_with_the_rows(
    cast, client_as, django_assert_max_num_queries
):
    adam = client_as(cast.adam)
    adam.get(audit_url(cast.org_a))  # the session is warm
    # Session, user, roles, organisation, the actions offered, the count, the chosen person, the
    # page of events with their actors, the page's participants, the staff offered; the session
    # saved again (3).
    with django_assert_max_num_queries(13):
        few = adam.get(audit_url(cast.org_a, person=cast.amina_participant.pk))
    assert len(few.context["rows"]) == 1
    for n in range(60):
        participant = people.participant_create(
            programme=cast.programme,
            role=Participant.Role.MENTEE,
            first_name=f"Person{n}",
            last_name="Test",
            languages={"fr": "native"},
            actor=cast.carla,
        )
        event(actor=cast.carla, organisation=cast.org_a, action="x.y", target=participant)
    with django_assert_max_num_queries(13):
        many = adam.get(audit_url(cast.org_a))
        assert len(many.context["rows"]) == 100
        assert "Person59 Test" in text(many)


def test_htmx_asks_for_the_table_alone(cast, client_as):
    response = client_as(cast.adam).get(audit_url(cast.org_a), headers={"HX-Request": "true"})
    page = text(response)
    assert page.lstrip().startswith('<section id="events"')
    assert "<html" not in page


def test_the_programmes_page_links_each_administered_organisation_to_its_audit_trail(
    cast, client_as
):
    link = audit_url(cast.org_a)
    assert link in text(client_as(cast.adam).get(reverse("programmes:list")))
    for user in (cast.carla, cast.vera, cast.olga):
        assert "/audit/" not in text(client_as(user).get(reverse("programmes:list")))


def test_the_participant_page_links_admins_to_the_events_about_that_person(cast, client_as):
    page_url = reverse("people:detail", args=[cast.programme.pk, cast.amina_participant.pk])
    link = f"{audit_url(cast.org_a)}?person={cast.amina_participant.pk}"
    assert link in text(client_as(cast.adam).get(page_url))
    assert "/audit/" not in text(client_as(cast.carla).get(page_url))
