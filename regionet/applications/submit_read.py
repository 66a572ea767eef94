"""What the submit door reads at the deadline, in one statement written here.

Under the deadline rush the machine's CPU is the limit, and the ORM spent about 4 ms of it per
submission building and loading this read (a join of five tables, half of it compiling the
SQL). Here the SELECT is written once per database: the draft's row, locked; its phase's
deadline; the call's and the programme's publication stamps and the record number's format;
the prepared snapshot (``PreparedSubmission``), if any; and whether the submitter is a member
of the coordinator. The rows become ordinary model instances through ``Model.from_db`` and
each field's own converters, as the ORM makes them: the fields not read are deferred and load
on access (the statement-count test of the submit door would notice).
"""

from dataclasses import dataclass

from django.db import connections

from regionet.accounts.models import Membership
from regionet.programmes.models import Call, Phase, Programme

from .models import Application, PreparedSubmission

# (alias in the statement, model, attnames read); the joins below follow this order.
_READS = (
    (
        "a",
        Application,
        (
            "id",
            "phase_id",
            "funder_id",
            "coordinator_id",
            "language",
            "theme_id",
            "zone_id",
            "state",
            "section_versions",
            "record_number",
            "first_submitted_at",
        ),
    ),
    ("ph", Phase, ("id", "call_id", "closes_at")),
    ("c", Call, ("id", "programme_id", "published_at")),
    ("pr", Programme, ("id", "funder_id", "record_number_format", "time_zone", "published_at")),
    ("p", PreparedSubmission, ("application_id", "fingerprint", "content", "prepared_at")),
)


@dataclass(frozen=True)
class SubmitRead:
    # The draft with ``phase.call.programme`` attached, locked until the transaction ends.
    application: Application
    prepared: PreparedSubmission | None
    # Whether the submitting user is a member of the coordinator organisation.
    by_coordinator_member: bool


@dataclass(frozen=True)
class _Plan:
    sql: str
    # Per model of _READS: the attnames and, per column, the (expression, converters).
    columns: tuple


def _plan(connection) -> _Plan:
    """The plan of ``connection`` (each thread has its own wrapper), kept on the wrapper: its
    converters are bound to it, and it goes with the wrapper (a dictionary keyed by the
    wrapper would keep the wrapper alive through them)."""
    plan = connection.__dict__.get(_PLAN_ATTRIBUTE)
    if plan is None:
        plan = connection.__dict__[_PLAN_ATTRIBUTE] = _make_plan(connection)
    return plan


_PLAN_ATTRIBUTE = "_regionet_submit_read_plan"


def _make_plan(connection) -> _Plan:
    quote = connection.ops.quote_name
    table = {model: quote(model._meta.db_table) for _, model, _ in _READS}
    selected, columns = [], []
    for short, model, wanted in _READS:
        # ``Model.from_db`` takes the values in the order of the model's fields.
        order = [field.attname for field in model._meta.concrete_fields]
        names = tuple(sorted(wanted, key=order.index))
        converted = []
        for name in names:
            field = model._meta.get_field(name)
            selected.append(f"{short}.{quote(field.column)}")
            expression = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection)
            converted.append((expression, tuple(converters)))
        columns.append((model, names, tuple(converted)))

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    # Names from the models' metadata, quoted; the values are parameters.
    sql = (
        f"SELECT {', '.join(selected)}, EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {quote(Membership._meta.db_table)} m "
        f"WHERE m.{column(Membership, 'organisation')} = a.{column(Application, 'coordinator')}"
        f" AND m.{column(Membership, 'user')} = %s)"
        f" FROM {table[Application]} a"
        f" JOIN {table[Phase]} ph ON ph.{column(Phase, 'id')} = a.{column(Application, 'phase')}"
        f" JOIN {table[Call]} c ON c.{column(Call, 'id')} = ph.{column(Phase, 'call')}"
        f" JOIN {table[Programme]} pr"
        f" ON pr.{column(Programme, 'id')} = c.{column(Call, 'programme')}"
        f" LEFT JOIN {table[PreparedSubmission]} p"
        f" ON p.{column(PreparedSubmission, 'application')} = a.{column(Application, 'id')}"
        f" WHERE a.{column(Application, 'id')} = %s"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF a"
    elif connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return _Plan(sql, tuple(columns))


def read_for_submit(application_id, user, *, using: str = "default") -> SubmitRead:
    """Lock the draft and read what submitting it needs (inside the door's transaction).

    Raises ``Application.DoesNotExist`` for an unknown id (one no id column can hold too,
    as the ORM's lookups do). The application's fields not read here load when asked for.
    """
    connection = connections[using]
    low, high = connection.ops.integer_field_range(Application._meta.pk.get_internal_type())
    if (low is not None and application_id < low) or (high is not None and application_id > high):
        raise Application.DoesNotExist(f"No application {application_id}.")
    plan = _plan(connection)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [user.pk, application_id])
        row = cursor.fetchone()
    if row is None:
        raise Application.DoesNotExist(f"No application {application_id}.")
    instances, start = [], 0
    for model, names, converted in plan.columns:
        values = []
        for value, (expression, converters) in zip(row[start:], converted, strict=False):
            if value is not None:
                for converter in converters:
                    value = converter(value, expression, connection)
            values.append(value)
        start += len(names)
        # A draft without a prepared snapshot: the left join gave no row.
        instances.append(None if values[0] is None else model.from_db(using, names, values))
    application, phase, call, programme, prepared = instances
    call.programme = programme
    phase.call = call
    application.phase = phase
    return SubmitRead(application, prepared, bool(row[-1]))
