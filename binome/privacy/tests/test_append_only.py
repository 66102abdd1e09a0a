"""Audit events are never changed nor deleted: not by the admin, not by SQL on PostgreSQL."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.privacy.services import audit_events_purge
from binome.privacy.tests.helpers import event

pytestmark = pytest.mark.django_db


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (the production database)")


def refused(sql: str, params: list) -> bool:
    """Run the SQL in a savepoint; True if the database refused it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


@pytest.fixture
def logged(cast) -> AuditEvent:
    return event(
        actor=cast.carla,
        organisation=cast.org_a,
        action="participant.update",
        target=cast.amina_participant,
        fields=["phone"],
    )


def test_the_admin_shows_audit_events_and_offers_no_way_to_change_them(cast, logged, client_as):
    root = User.objects.create_superuser(email="root@example.org", password="x", full_name="Root")
    client = client_as(root)
    base = "/fr/admin/core/auditevent/"

    assert client.get(base).status_code == 200
    change = client.get(f"{base}{logged.pk}/change/")
    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{logged.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}{logged.pk}/change/", {"action": "x"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [logged.pk], "post": "yes"}
    client.post(base, bulk)
    logged.refresh_from_db()
    assert logged.action == "participant.update"


def test_an_update_by_sql_is_refused(cast, logged):
    needs_postgresql()
    assert refused("UPDATE core_auditevent SET action = %s WHERE id = %s", ["nothing", logged.pk])
    assert refused("UPDATE core_auditevent SET detail = '{}' WHERE id = %s", [logged.pk])
    # Another actor, or the actor cleared along with anything else: refused too.
    assert refused(
        "UPDATE core_auditevent SET actor_id = %s WHERE id = %s", [cast.adam.pk, logged.pk]
    )
    assert refused(
        "UPDATE core_auditevent SET actor_id = NULL, target_id = %s WHERE id = %s", ["0", logged.pk]
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=logged.pk).update(action="nothing")
    logged.refresh_from_db()
    assert (logged.action, logged.actor_id, logged.detail) == (
        "participant.update",
        cast.carla.pk,
        {"fields": ["phone"]},
    )


def test_a_delete_by_sql_is_refused(cast, logged):
    needs_postgresql()
    assert refused("DELETE FROM core_auditevent WHERE id = %s", [logged.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=logged.pk).delete()
    assert AuditEvent.objects.filter(pk=logged.pk).exists()


def test_deleting_a_user_account_keeps_its_events_without_the_actor(cast, logged):
    # On PostgreSQL this is the trigger's first exception; on SQLite it shows Django's behaviour.
    carla = cast.carla
    carla.delete()

    logged.refresh_from_db()
    assert logged.actor_id is None
    assert (logged.action, logged.detail) == ("participant.update", {"fields": ["phone"]})


def test_the_purge_deletes_old_events_and_leaves_the_guard_up(cast, logged, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = event(
        actor=cast.carla,
        organisation=cast.org_a,
        action="old.one",
        target=cast.programme,
        at=timezone.now() - datetime.timedelta(days=31),
    )

    assert audit_events_purge() == 1

    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=logged.pk).exists()
    if connection.vendor == "postgresql":
        # The flag is down again: in the same (test) transaction a DELETE is refused once more.
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('binome.audit_purge', true)")
            assert cursor.fetchone()[0] == "off"
        assert refused("DELETE FROM core_auditevent WHERE id = %s", [logged.pk])
