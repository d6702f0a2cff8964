"""The API answers as its OpenAPI schema says: schemathesis generates requests for every operation of /api/schema/
(valid and invalid input) as three callers, an anonymous client, a citizen with a token and a reception officer
with a token, sends them to the WSGI application in-process, and checks every answer: never a server error, and
its status code, content type, body and headers as the schema documents them for that operation.

Bounded and repeatable: EXAMPLES cases per operation and caller, derandomized, no example database; most cases
are aimed at the dossiers, procedures and tokens that exist (generated values alone would meet only 404s), and
a few requests a client would really send (a token, a lookup, a new dossier) are sent as they are.

schemathesis's own pytest integration (`schema.parametrize()`, `schemathesis.pytest.from_fixture`) does not run
under pytest 9.2 (it reads `Node._nodeid`, which pytest no longer has), so this test drives schemathesis'
strategies and checks through Hypothesis itself; the schema is loaded lazily in a fixture (collection needs no
database)."""

import uuid
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dossiers.constants import DeliveryMethod
from dossiers.constants import DossierStatus as S
from portal.models import ApiToken
from portal.services import api_token_obtain
from tests.factories import TEST_PASSWORD, ProcedureFactory, UserFactory, dossier_in_status

EXAMPLES = 20

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# The callers' dossiers: one in each status an officer or the applicant acts from.
STATUSES = [S.SUBMITTED, S.RECEIVED, S.SUPPLEMENT_REQUESTED, S.PROCESSING, S.AWAITING_APPROVAL, S.RESULT_READY]

# The lookup's per-code failure counter keys on the code as typed; Django warns that such keys would not suit
# memcached, but the portal's cache is Redis, which takes any key.
pytestmark = pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")


def _token(user) -> tuple[ApiToken, str]:
    return api_token_obtain(request=RequestFactory().post("/"), user=user, name="contract")


class Caller:
    """Who sends the requests: its `Authorization` header, with a new token whenever a request revoked the last
    one (DELETE /auth/token/), so the rest of the run is not all 401."""

    def __init__(self, user):
        self.user = user
        self.token = None

    def headers(self) -> dict:
        if self.user is None:
            return {}
        if self.token is None or not ApiToken.objects.filter(pk=self.token[0].pk).exists():
            self.token = _token(self.user)
        return {"Authorization": f"Token {self.token[1]}"}


class World:
    """What the requests meet: an agency's procedure with the citizen's dossiers in every working status and
    another applicant's dossier there, a dossier of another agency, a procedure one applies to with no file, and
    tokens of the citizen and of someone else."""

    def __init__(self):
        self.citizen = UserFactory(citizen=True)
        procedure = ProcedureFactory()
        dossiers, officers = [], None
        for status in STATUSES:
            dossier, officers = dossier_in_status(
                status, procedure=procedure, applicant=self.citizen, officers=officers
            )
            dossiers.append(dossier)
        dossiers.append(dossier_in_status(S.SUBMITTED, procedure=procedure, officers=officers)[0])
        dossiers.append(dossier_in_status(S.SUBMITTED)[0])
        self.officer = officers["reception"]
        self.dossier = dossiers[1]
        self.open_procedure = ProcedureFactory(agency=procedure.agency)  # no required document
        self.path_values = {
            "/api/v1/dossiers/": {"code": [d.code for d in dossiers]},
            "/api/v1/procedures/": {"code": [procedure.code, self.open_procedure.code]},
            "/api/v1/auth/tokens/": {"id": [_token(self.citizen)[0].pk, _token(UserFactory(citizen=True))[0].pk]},
        }

    def caller(self, who: str) -> Caller:
        return Caller({"anonymous": None, "citizen": self.citizen, "officer": self.officer}[who])

    def aimed_at_existing(self, operation) -> list[dict]:
        """Path parameters naming what exists, for an operation whose path has them."""
        for prefix, values in self.path_values.items():
            if operation.path.startswith(prefix) and operation.path_parameters:
                ((name, choices),) = values.items()
                return [{name: choice} for choice in choices]
        return []

    def requests_clients_send(self) -> dict[str, dict]:
        """One well-formed request per operation that takes a body worth getting right, by operation label."""
        return {
            "POST /api/v1/auth/token/": {
                "body": {"username": self.citizen.email, "password": TEST_PASSWORD},
                "media_type": "application/json",
            },
            "POST /api/v1/lookup/": {
                "body": {"code": self.dossier.code, "second_factor": self.citizen.citizen_id[-4:]},
                "media_type": "application/json",
            },
            "POST /api/v1/dossiers/": {
                "body": {"procedure": self.open_procedure.code, "delivery_method": DeliveryMethod.COUNTER},
                "headers": {"Idempotency-Key": str(uuid.uuid4())},
                "media_type": "multipart/form-data",
            },
        }


@pytest.fixture
def wsgi_app(db):
    """The portal's WSGI application, called in this thread inside the test's transaction. Django closes the
    connection at the end of every request, which would end that transaction: its test client disconnects the
    same handler while it runs requests, and so does this fixture."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app):
    # The schema a client downloads, from the application itself.
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


def _cases(operation, world: World):
    strategies = [
        operation.as_strategy(generation_mode=mode, path_parameters=values)
        for mode in GenerationMode
        for values in [None, *world.aimed_at_existing(operation)]
    ]
    return st.one_of(strategies)


def _exercise(operation, world: World, caller: Caller, clients_request: dict | None) -> tuple[Counter, list[str]]:
    """Send an operation's generated cases, then the request a client would send if there is one: the statuses
    answered, and the answers that differ from the schema (with schemathesis' report and a command to replay)."""
    answered = Counter()

    # No deadline and no health check on the time generation takes: both depend on the machine's load, and
    # EXAMPLES bounds the run.
    @given(case=_cases(operation, world))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def answers_as_documented(case):
        answered[case.call_and_validate(headers=caller.headers(), checks=CHECKS).status_code] += 1

    try:
        answers_as_documented()
        if clients_request:
            case = operation.Case(**clients_request)
            answered[f"sent {case.call_and_validate(headers=caller.headers(), checks=CHECKS).status_code}"] += 1
    except (Failure, FailureGroup) as error:
        return answered, [f"{operation.label}: {error}"]
    return answered, []


@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer"])
def test_every_operation_answers_as_the_schema_says(who, api_schema):
    world = World()
    caller = world.caller(who)
    clients_requests = world.requests_clients_send()
    answers, failures = {}, []

    for result in api_schema.get_all_operations():
        operation = result.ok()
        answered, differences = _exercise(operation, world, caller, clients_requests.get(operation.label))
        answers[operation.label] = answered
        failures += differences

    assert not failures, f"{len(failures)} operations answer otherwise than the schema says:\n\n" + "\n\n".join(
        failures
    )
    # The run reached the API's answers, not only its refusals.
    assert answers["POST /api/v1/auth/token/"]["sent 200"] == 1
    assert answers["POST /api/v1/lookup/"]["sent 200"] == 1
    if who == "anonymous":
        assert answers["GET /api/v1/dossiers/"][401] > 0
        assert answers["GET /api/v1/dossiers/"][200] == 0
    else:
        assert answers["GET /api/v1/dossiers/"][200] > 0
        assert answers["GET /api/v1/dossiers/{code}/"][200] > 0
        assert answers["POST /api/v1/dossiers/"]["sent 201"] == 1
