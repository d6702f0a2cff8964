"""Fixtures shared by every app's tests."""

import warnings

import pytest
from django.db import connection
from rest_framework.test import APIClient

from portal.auth import forget_permissions
from procedures.calendar import forget_kept_calendar
from reporting.pagecache import forget_in_process

from .factories import AgencyFactory, UserFactory
from .fault_services import own_redis  # noqa: F401 - a fixture: a Redis of the test's own to take down
from .redis_keys import delete_suite_keys


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and at the end of the run no other client on it (the run's own database,
    created for it), so that it can be dropped: one left open (a thread's connection not closed) is named in a
    warning, so it can be found, and ended. PostgreSQL only."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name, state, left(query, 300) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            for pid, application, state, query in cursor.fetchall():
                left = f"A session was left open on the test database ({application}, {state}): {query}"
                warnings.warn(left, stacklevel=1)
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start and end each test with none of the suite's keys in the cache (Redis): only the keys under the
    suite's prefix go, the rest of a Redis database that someone else may be using stays."""
    delete_suite_keys()
    yield
    delete_suite_keys()


@pytest.fixture(autouse=True)
def _forget_kept_calendar():
    """Pages keep the working calendar in the process for a minute (procedures.calendar): a test reads the calendar
    of its own database, not one kept from a test rolled back before it."""
    forget_kept_calendar()
    yield
    forget_kept_calendar()


@pytest.fixture(autouse=True)
def _forget_permissions():
    """The sign-in backend names permissions from a copy of the table kept in the process (portal.auth): each test
    reads its own database's."""
    forget_permissions()
    yield
    forget_permissions()


@pytest.fixture(autouse=True)
def _forget_statistics_in_process():
    """The statistics pages remember their generation and parts in the process for a few seconds (reporting.pagecache):
    a test reads its own database's, not those of a test rolled back before it."""
    forget_in_process()
    yield
    forget_in_process()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True)


@pytest.fixture
def enterprise(db):
    return UserFactory(enterprise=True)


@pytest.fixture
def reception_officer(agency):
    return UserFactory(reception_officer=True, agency=agency)


@pytest.fixture
def processing_officer(agency):
    return UserFactory(processing_officer=True, agency=agency)


@pytest.fixture
def approver(agency):
    return UserFactory(approver=True, agency=agency)


@pytest.fixture
def agency_admin(agency):
    return UserFactory(agency_admin=True, agency=agency)


@pytest.fixture
def superuser(db):
    return UserFactory(superuser=True)
