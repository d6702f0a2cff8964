"""Rules that several pages and the API share, each defined once: the deadline marks, the documents issued
for a dossier, the way a moment is written."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from dossiers import selectors, services
from dossiers.constants import DossierStatus, IssuedDocument
from dossiers.deadlines import due_soon_condition, overdue_condition
from dossiers.models import Dossier
from portal.text import short_datetime
from tests.factories import DossierFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus
VN = ZoneInfo("Asia/Ho_Chi_Minh")


# --- deadline marks ------------------------------------------------------------------------------


def test_the_deadline_mark_of_a_row_follows_the_queue_conditions(agency):
    # Given dossiers around "now" in statuses whose clock runs, is paused or has stopped
    now = datetime(2026, 3, 10, 9, 0, tzinfo=VN)  # a Tuesday
    horizon = selectors.due_soon_horizon(now=now)
    offsets = [timedelta(days=-3), timedelta(minutes=-1), timedelta(0), timedelta(hours=3), timedelta(days=5)]
    for status in (S.RECEIVED, S.PROCESSING, S.AWAITING_APPROVAL, S.SUPPLEMENT_REQUESTED, S.RESULT_READY):
        for offset in offsets:
            DossierFactory(procedure__agency=agency, status=status, due_at=now + offset)
    DossierFactory(procedure__agency=agency, status=S.SUBMITTED, due_at=None)

    # When each is marked in Python and counted by the queues' SQL
    overdue = set(Dossier.objects.filter(overdue_condition(now=now)).values_list("pk", flat=True))
    due_soon = set(Dossier.objects.filter(due_soon_condition(now=now, horizon=horizon)).values_list("pk", flat=True))

    # Then both say the same of every dossier
    for dossier in Dossier.objects.all():
        expected = "overdue" if dossier.pk in overdue else "due_soon" if dossier.pk in due_soon else ""
        assert selectors.due_state(dossier, now=now, horizon=horizon) == expected, (dossier.status, dossier.due_at)
    assert overdue and due_soon  # the cases above cover both marks


# --- documents issued ----------------------------------------------------------------------------


def test_issued_documents_follow_the_dossier_with_or_without_loaded_requests():
    waiting, _officers = dossier_in_status(S.SUPPLEMENT_REQUESTED)
    submitted, officers = dossier_in_status(S.SUBMITTED)
    refused = services.dossier_refuse(dossier=submitted, officer=officers["reception"], reason="Sai thẩm quyền")

    expected = [IssuedDocument.RECEIPT, IssuedDocument.SUPPLEMENT_REQUEST]
    assert selectors.issued_documents_for(dossier=waiting) == expected
    requests_ = list(selectors.dossier_supplement_requests(dossier=waiting))
    assert selectors.issued_documents_for(dossier=waiting, supplement_requests=requests_) == expected
    assert selectors.issued_documents_for(dossier=refused) == [IssuedDocument.REFUSAL]
    assert selectors.issued_documents_for(dossier=DossierFactory()) == []


# --- a moment, written once --------------------------------------------------------------------


def test_a_moment_is_written_the_same_in_python_and_in_templates():
    moment = datetime(2026, 3, 2, 9, 5, tzinfo=VN)
    rendered = Template("{% load portal_text %}{{ moment|short_datetime }}|{{ none|short_datetime|default:'—' }}")

    assert short_datetime(moment) == "09:05 02/03/2026"
    assert short_datetime(None) == ""
    assert rendered.render(Context({"moment": moment, "none": None})) == "09:05 02/03/2026|—"
