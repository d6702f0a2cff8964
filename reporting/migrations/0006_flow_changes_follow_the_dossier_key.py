from importlib import import_module

from django.db import migrations

# A dossier moved to another agency, procedure or channel takes its payments, supplement requests and ratings with
# it: the dossier trigger logs each of them under the old key (-1) and the new one (+1), as it logs the dossier's own
# events. (Before, they stayed counted under the old key until the next full recompute.)
CREATE_OR_REPLACE = """
CREATE OR REPLACE FUNCTION reporting_log_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO reporting_flowchange (source, sign, agency_id, procedure_id, channel, received_at, finished_at,
            due_at, paused, apologized_at, timeliness, status, provider)
        VALUES ('d', -1, OLD.agency_id, OLD.procedure_id, OLD.channel, OLD.received_at, OLD.finished_at, OLD.due_at,
            OLD.paused_at IS NOT NULL, OLD.apologized_at, OLD.timeliness, OLD.status, '');
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO reporting_flowchange (source, sign, agency_id, procedure_id, channel, received_at, finished_at,
            due_at, paused, apologized_at, timeliness, status, provider)
        VALUES ('d', 1, NEW.agency_id, NEW.procedure_id, NEW.channel, NEW.received_at, NEW.finished_at, NEW.due_at,
            NEW.paused_at IS NOT NULL, NEW.apologized_at, NEW.timeliness, NEW.status, '');
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.agency_id, OLD.procedure_id, OLD.channel)
            IS DISTINCT FROM (NEW.agency_id, NEW.procedure_id, NEW.channel) THEN
        INSERT INTO reporting_flowchange (source, sign, agency_id, procedure_id, channel, moment, amount, provider,
            status, level, timeliness)
        SELECT event.source, key.sign, key.agency_id, key.procedure_id, key.channel, event.moment, event.amount,
            event.provider, event.status, event.level, ''
        FROM (
            SELECT 'p' AS source, paid_at AS moment, amount, provider, status, NULL::smallint AS level
            FROM payments_payment WHERE dossier_id = NEW.id AND paid_at IS NOT NULL
            UNION ALL
            SELECT 's', requested_at, NULL, '', '', NULL FROM dossiers_supplementrequest WHERE dossier_id = NEW.id
            UNION ALL
            SELECT 'r', created_at, NULL, '', '', level FROM reporting_rating WHERE dossier_id = NEW.id
        ) event
        CROSS JOIN (VALUES (-1, OLD.agency_id, OLD.procedure_id, OLD.channel),
                           (1, NEW.agency_id, NEW.procedure_id, NEW.channel)) AS key(sign, agency_id, procedure_id, channel);
    END IF;
    RETURN NULL;
END
$$;
"""

# Going back: 0003's version of the function.
first = import_module("reporting.migrations.0003_flow_changes")
RESTORE = first.LOG_DOSSIER.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
on_postgresql = first.on_postgresql


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_summary_keys_unconstrained"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE_OR_REPLACE), on_postgresql(RESTORE)),
    ]
