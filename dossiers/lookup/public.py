"""What the public lookup may show of a dossier, read from the database: its code, status, procedure and agency
names, submitted and due dates, the actions of its timeline, and what other apps add through
`dossiers.panels.PublicSection` (the parcels of a result by post); no applicant, officer, note or declared data."""

import re
import weakref
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache

from django.db import DatabaseError, connections
from django.utils.translation import get_language

from ..constants import Action, DossierStatus
from ..models import Dossier
from ..panels import PublicRow, public_sections_read

# The second factor: at least this many last digits of the applicant's ID (or tax code) or phone.
SECOND_FACTOR_MIN_DIGITS = 4


@cache
def _labels(language: str | None) -> dict[str, str]:
    """The labels of every status and action in `language` (the active one when first asked): the lookup prints
    up to a score of them per answer, and each lazy label's gettext costs more than the dict lookup."""
    return {value: str(label) for value, label in (*DossierStatus.choices, *Action.choices)}


def public_labels() -> dict[str, str]:
    """The labels of every status and action in the active language, by value."""
    return _labels(get_language())


@dataclass(frozen=True)
class PublicTimelineEntry:
    action: str
    at: datetime

    @property
    def label(self) -> str:
        return public_labels()[self.action]


@dataclass(frozen=True)
class PublicDossier:
    """What the public lookup may show of a dossier: no applicant, officer, note or declared data."""

    code: str
    status: str
    procedure: str  # the procedure's name
    agency: str  # the handling agency's name
    submitted_at: datetime | None
    due_at: datetime | None
    events: tuple[tuple[str, datetime], ...]  # (action, time) of each event, oldest first
    sections: tuple[tuple[str, object], ...] = ()  # (name, data) of the other apps' public sections
    # The answer's identity in the lookup's cache, given when it is kept there (`cache.store`), else "": one version,
    # one set of facts, so what the page renders from them may be kept under it (views/public.py).
    version: str = ""

    @property
    def status_label(self) -> str:
        return public_labels()[self.status]

    def facts(self) -> dict:
        """The fields as a flat dict (for the cache; `dataclasses.asdict` would deep-copy every event's time)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @property
    def timeline(self) -> list[PublicTimelineEntry]:
        return [PublicTimelineEntry(action=action, at=at) for action, at in self.events]


def lookup_code_key(code: str) -> str:
    """The code as the lookup reads it: without spaces, upper-cased."""
    return "".join(code.split()).upper()


def second_factor_usable(second_factor: str) -> bool:
    return len(second_factor) >= SECOND_FACTOR_MIN_DIGITS and second_factor.isdigit()


# The columns of the lookup's one query (`_public_rows`): the dossier's shown columns with its procedure's and agency's
# names (joins on primary keys), the applicant's ID and phone (for the second factor, never shown), on each of its
# events' two columns.
_COLUMNS = (
    "pk",
    "channel",
    "delivery_method",
    "status",
    "procedure__name",
    "agency__name",
    "submitted_at",
    "due_at",
    "applicant_id_number",
    "applicant_phone",
    "events__action",
    "events__created_at",
)
_CODE_PLACEHOLDER = "\x00code\x00"  # stands for the code while the query is compiled; no code holds a NUL


def _public_rows_queryset(code: str):
    return (
        Dossier.objects.filter(code=code)
        .exclude(status=DossierStatus.DRAFT)
        .order_by("events__created_at", "events__id")
        .values_list(*_COLUMNS)
    )


@dataclass(frozen=True)
class _Compiled:
    sql: str  # with the DB-API's placeholders, for `params`
    params: tuple  # the code's placeholder among them
    converters: dict
    prepare: str  # PostgreSQL: the statement that prepares `sql` (no placeholder); else ""
    execute: str  # PostgreSQL: the statement that executes it once prepared, for `params`; else ""


@cache
def _public_rows_compiled(alias: str) -> _Compiled:
    """The SQL of `_public_rows_queryset`, its parameters and the converters of its columns, compiled once per process
    and database: building and compiling the query through the ORM costs several times what sending it and reading
    its rows does (in process on the bench host: ≈ 0.8 ms of CPU against 0.1), and it is the same query for every
    code but for the code.

    On PostgreSQL, also as a prepared statement: planning its four tables costs several times executing it
    (EXPLAIN ANALYZE at 1,000 dossiers: 0.7 ms planning, 0.1 ms execution; in process, load 6: 2-2.9 ms a query,
    0.5-0.7 ms prepared)."""
    compiler = _public_rows_queryset(_CODE_PLACEHOLDER).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
    if connections[alias].vendor != "postgresql":
        return _Compiled(sql, params, converters, prepare="", execute="")
    numbers = iter(range(1, len(params) + 1))
    body = re.sub("%(s|%)", lambda match: f"${next(numbers)}" if match[1] == "s" else "%", sql)
    return _Compiled(
        sql,
        params,
        converters,
        prepare=f"PREPARE {_STATEMENT} AS {body}",
        execute=f"EXECUTE {_STATEMENT}({', '.join(['%s'] * len(params))})",
    )


_STATEMENT = "dossiers_public_rows"
# The DB-API connections where _STATEMENT is prepared: a prepared statement lives as long as its connection (and
# survives a rollback); a new connection is a new object.
_prepared_on: weakref.WeakSet = weakref.WeakSet()
# What PostgreSQL answers when the statement is gone (something reset the session) or no longer fits the tables (a
# deploy changed a column it reads while this process kept its connection): invalid_sql_statement_name and
# feature_not_supported ("cached plan must not change result type").
_STALE_STATEMENT = ("26000", "0A000")


def _public_rows(code: str) -> list[tuple]:
    """`list(_public_rows_queryset(code))`, from the SQL compiled once (`_public_rows_compiled`); on PostgreSQL
    prepared once per connection, as the connection's own setup (through the DB-API's cursor, as Django's
    health check runs its query: not one of the request's queries)."""
    alias = Dossier.objects.db
    compiled = _public_rows_compiled(alias)
    converters = compiled.converters
    connection = connections[alias]
    params = [code if param == _CODE_PLACEHOLDER else param for param in compiled.params]
    with connection.cursor() as cursor:
        if not compiled.execute:
            cursor.execute(compiled.sql, params)
        else:
            if connection.connection not in _prepared_on:
                with connection.connection.cursor() as setup:
                    setup.execute(compiled.prepare)
                _prepared_on.add(connection.connection)
            try:
                cursor.execute(compiled.execute, params)
            except DatabaseError as error:
                code = getattr(error.__cause__, "pgcode", None)
                if connection.in_atomic_block or code not in _STALE_STATEMENT:
                    raise
                # Plain SQL this time; prepared afresh by the next lookup on this connection.
                _prepared_on.discard(connection.connection)
                if code == _STALE_STATEMENT[1]:
                    with connection.connection.cursor() as setup:
                        setup.execute(f"DEALLOCATE {_STATEMENT}")
                cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in map(list, rows):
        for position, (functions, expression) in converters.items():
            for function in functions:
                row[position] = function(row[position], expression, connection)
        converted.append(tuple(row))
    return converted


def read_public_dossier(*, code: str, second_factor: str) -> tuple[PublicDossier, str, str] | None:
    """The public facts of the dossier `code` if `second_factor` ends its applicant's ID or phone, with that
    ID and phone (for the cache's digests, never shown); else None. One query for the dossier and its timeline
    (`_COLUMNS`; a row without the event's columns for a dossier without events), oldest first; then, only when the
    factor is right, at most one per public section that applies (the parcels of a dossier sent or collected by
    post)."""
    rows = _public_rows(code)
    if not rows:
        return None
    pk, channel, delivery_method, status, procedure, agency, submitted_at, due_at, id_number, phone = rows[0][:10]
    if not (id_number.endswith(second_factor) or phone.endswith(second_factor)):
        return None
    public = PublicDossier(
        code=code,
        status=status,
        procedure=procedure,
        agency=agency,
        submitted_at=submitted_at,
        due_at=due_at,
        events=tuple((row[10], row[11]) for row in rows if row[10] is not None),
        sections=public_sections_read(PublicRow(pk=pk, channel=channel, delivery_method=delivery_method)),
    )
    return public, id_number, phone


def dossier_public_lookup(*, code: str, second_factor: str) -> PublicDossier | None:
    """The public facts of the dossier whose code is `code` and whose applicant ID or phone ends with
    `second_factor` (at least SECOND_FACTOR_MIN_DIGITS digits), read from the database; None for "no such
    dossier" and "wrong second factor" alike. No limit and no cache: `lookup_attempt` is what visitors get."""
    code, second_factor = lookup_code_key(code), second_factor.strip()
    if not code or not second_factor_usable(second_factor):
        return None
    found = read_public_dossier(code=code, second_factor=second_factor)
    return found[0] if found else None
