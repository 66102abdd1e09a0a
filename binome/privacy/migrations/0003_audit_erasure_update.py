"""The append-only trigger (0001) lets the erasure of a person blank what events say about her.

Erasure (binome.privacy.erasure) keeps the events, for the counts, but must clear their details
(the fields and codes recorded) where they concern the erased person: with `binome.audit_purge`
raised by SET LOCAL for its own transaction, as the retention purge does, an UPDATE goes
through. Without the flag, nothing changes from 0001: DELETE and UPDATE are refused, but for
a deleted account's actor set to NULL.
"""

from django.db import migrations

FUNCTION = "binome_audit_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('binome.audit_purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
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
"""

# 0001's function, as it was.
PREVIOUS = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('binome.audit_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: UPDATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_erasure"),
    ]

    operations = [
        migrations.RunPython(create, restore, elidable=False),
    ]
