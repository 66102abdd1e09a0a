"""Retention: each organisation's periods, their page, and the daily job that applies them."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from binome.core.models import AuditEvent
from binome.duos.models import Duo, Signature
from binome.people.models import Participant
from binome.privacy.models import Erasure
from binome.privacy.services.retention import retention_apply
from binome.privacy.tests.helpers import ADMIN_ONLY, event
from binome.testing import CANARY, add_person, make_duo

pytestmark = pytest.mark.django_db


def retention_url(organisation) -> str:
    return reverse("privacy:retention", args=[organisation.pk])


def form_data(organisation, **changes) -> dict:
    data = {
        "retention_closed_days": organisation.retention_closed_days,
        "retention_rejected_days": organisation.retention_rejected_days,
        "retention_scan_days": organisation.retention_scan_days,
        "retention_audit_days": organisation.retention_audit_days,
        "agreement_retention_years": organisation.agreement_retention_years,
        "version": organisation.retention_version,
    }
    return {**data, **changes}


def left(person, *, status, days_ago: int) -> Participant:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Participant.objects.filter(pk=person.pk).update(status=status, status_changed_at=when)
    return Participant.objects.get(pk=person.pk)


def test_the_periods_start_from_the_settings(settings):
    from binome.programmes.models import Organisation

    settings.RETENTION_CLOSED_DAYS = 100
    settings.AGREEMENT_RETENTION_YEARS = 10
    organisation = Organisation.objects.create(name="New", slug="new")
    assert (organisation.retention_closed_days, organisation.agreement_retention_years) == (
        100,
        10,
    )


def test_the_retention_page_answers_each_role_exactly(cast, client_as):
    for role, user in cast.users().items():
        response = client_as(user).get(retention_url(cast.org_a))
        assert response.status_code == ADMIN_ONLY[role], role
        if response.status_code == 200:
            assert CANARY not in response.content.decode()
    assert client_as(cast.adam).get(retention_url(cast.org_b)).status_code == 404
    response = client_as(cast.olga).post(retention_url(cast.org_a), form_data(cast.org_a))
    assert response.status_code == 404


def test_an_admin_changes_the_periods_and_a_stale_form_is_refused(cast, client_as):
    adam = client_as(cast.adam)
    stale = form_data(cast.org_a, retention_closed_days=400)
    response = adam.post(retention_url(cast.org_a), form_data(cast.org_a, retention_closed_days=90))
    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert (cast.org_a.retention_closed_days, cast.org_a.retention_version) == (90, 2)
    assert AuditEvent.objects.filter(action="organisation.retention").count() == 1

    response = adam.post(retention_url(cast.org_a), stale)
    assert response.status_code == 200
    assert "Adam Admin" in response.content.decode()
    cast.org_a.refresh_from_db()
    assert cast.org_a.retention_closed_days == 90


def test_a_period_of_zero_days_is_refused(cast, client_as):
    response = client_as(cast.adam).post(
        retention_url(cast.org_a), form_data(cast.org_a, retention_audit_days=0)
    )
    assert response.status_code == 200
    cast.org_a.refresh_from_db()
    assert cast.org_a.retention_audit_days > 0


def test_the_job_anonymises_what_expired_and_keeps_the_rest(cast):
    cast.org_a.retention_closed_days = 30
    cast.org_a.retention_rejected_days = 10
    cast.org_a.save()
    old_closed = left(add_person(cast, "mentee", "Oldclosed"), status="closed", days_ago=31)
    recent = left(add_person(cast, "mentee", "Recent"), status="withdrawn", days_ago=29)
    rejected = left(add_person(cast, "mentee", "Rejected"), status="rejected", days_ago=11)
    active = left(add_person(cast, "mentor", "Active"), status="ready", days_ago=400)

    report = retention_apply(organisation=cast.org_a)

    assert (report.closed_anonymised, report.rejected_anonymised, report.kept_by_law) == (1, 1, 0)
    erased = set(Erasure.objects.values_list("participant_id", flat=True))
    assert erased == {old_closed.pk, rejected.pk}
    assert Erasure.objects.get(participant=old_closed).reason == "retention"
    assert Participant.objects.get(pk=old_closed.pk).first_name == ""
    for kept in (recent, active):
        assert Participant.objects.get(pk=kept.pk).first_name != ""
    # Idempotent: a second run finds nothing more to do.
    again = retention_apply(organisation=cast.org_a)
    assert (again.closed_anonymised, again.rejected_anonymised) == (0, 0)


def test_the_job_skips_and_counts_whom_the_law_keeps(cast):
    cast.org_a.retention_closed_days = 30
    cast.org_a.agreement_retention_years = 5
    cast.org_a.save()
    duo = make_duo(cast)
    Signature.objects.create(
        agreement=duo.agreement,
        party="mentee",
        method="online",
        typed_name="Amina Haddad",
        language="fr",
        text_hash="0" * 64,
        signed_at=timezone.now(),
    )
    Duo.objects.filter(pk=duo.pk).update(status="closed", closed_on=timezone.localdate())
    left(cast.amina_participant, status="closed", days_ago=60)

    report = retention_apply(organisation=cast.org_a)

    assert (report.closed_anonymised, report.kept_by_law) == (0, 1)
    assert Participant.objects.get(pk=cast.amina_participant.pk).first_name == "Amina"


def test_the_job_deletes_expired_scans_and_purges_old_audit_events(cast):
    cast.org_a.retention_scan_days = 30
    cast.org_a.retention_audit_days = 100
    cast.org_a.save()
    duo = make_duo(cast)
    signature = Signature(
        agreement=duo.agreement,
        party="mentor",
        method="paper",
        typed_name="Marek Nowak",
        language="fr",
        text_hash="0" * 64,
        signed_at=timezone.now(),
    )
    signature.scan.save("scan.pdf", ContentFile(b"%PDF-1.4"), save=False)
    signature.save()
    path = signature.scan.path
    ended = timezone.localdate() - datetime.timedelta(days=40)
    Duo.objects.filter(pk=duo.pk).update(status="closed", closed_on=ended)
    old = event(
        actor=cast.carla,
        organisation=cast.org_a,
        action="old.one",
        target=cast.programme,
        at=timezone.now() - datetime.timedelta(days=101),
    )
    kept_elsewhere = event(
        actor=cast.olga,
        organisation=cast.org_b,
        action="old.one",
        target=cast.programme_b,
        at=timezone.now() - datetime.timedelta(days=101),
    )

    report = retention_apply(organisation=cast.org_a)

    assert (report.scans_deleted, report.audit_events_deleted) == (1, 1)
    signature.refresh_from_db()
    assert signature.scan.name == ""
    import os

    assert not os.path.exists(path)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept_elsewhere.pk).exists()
    recorded = AuditEvent.objects.get(action="privacy.retention", organisation=cast.org_a)
    assert recorded.detail["scans_deleted"] == 1


def test_the_command_prints_counts_per_organisation_and_no_one(cast):
    cast.org_a.retention_closed_days = 1
    cast.org_a.save()
    left(add_person(cast, "mentee", "Zeynep"), status="closed", days_ago=2)
    out = StringIO()
    call_command("privacy_retention", stdout=out)
    printed = out.getvalue()
    assert "hors-pistes: closed_anonymised 1, rejected_anonymised 0" in printed
    assert "other-org: closed_anonymised 0" in printed
    assert "Zeynep" not in printed and CANARY not in printed
