"""The audit trail is append-only in the database itself (PostgreSQL, the production database).

A trigger refuses any UPDATE or DELETE of an audit event, whoever runs it (the site, a shell, a
script), with two exceptions the site needs:
- a deleted user account: the actor's foreign key is set to NULL, and nothing else changes;
- the retention purge (`manage.py audit_purge`), which raises `binome.audit_purge` for its own
  transaction with SET LOCAL.
SQLite, for development and tests, has no such guard: the site writes no update or delete path.
TRUNCATE is left alone (the test runner empties tables with it; it needs the table's owner).
"""

from django.db import migrations

FUNCTION = "binome_audit_append_only"
TRIGGER = "core_auditevent_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('binome.audit_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Every column but actor_id compared at once, columns added later included.
    IF NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: UPDATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS {TRIGGER} ON core_auditevent;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON core_auditevent;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
