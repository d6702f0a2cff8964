"""Each step's own deadline on the control sheet, and the risk queue: dossiers likely to be late, shown to the
leader before their due date (dossiers/deadlines/steps.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import selectors, services
from dossiers.constants import Action, DossierStatus
from dossiers.models import Dossier
from procedures.calendar import working_calendar
from tests.factories import ProcedureFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus


def test_the_control_sheet_shows_each_steps_own_deadline(client, agency):
    dossier, people = dossier_in_status(S.PROCESSING, procedure=ProcedureFactory(agency=agency, processing_time=10))
    dossier = services.dossier_take(dossier=dossier, officer=people["processing"])
    calendar = working_calendar()
    allowed = calendar.working_time_between(dossier.received_at, dossier.original_due_at)

    rows = selectors.dossier_control_sheet(dossier=dossier)

    by_action = {row.action: row for row in rows}
    received = dossier.events.get(action=Action.RECEIVE).created_at
    forwarded = dossier.events.get(action=Action.FORWARD).created_at
    # Before receipt no clock runs: the submission and the reception steps have no deadline of their own
    assert by_action["Nộp hồ sơ"].step_due_at is None
    assert by_action["Tiếp nhận"].step_due_at is None
    # The desk's step: a tenth of the allowed working time after receipt; the specialist's take goes on with the
    # step that the forwarding began, with seven tenths
    assert by_action["Chuyển xử lý"].step_due_at == calendar.add_working_time(received, allowed * 0.1)
    assert by_action["Nhận xử lý"].step_due_at == calendar.add_working_time(forwarded, allowed * 0.7)
    # and the page and its PDF print them
    client.force_login(people["reception"])
    page = client.get(reverse("dossiers:control-sheet", args=[dossier.pk])).content.decode()
    assert "Hạn của bước" in page
    assert f'data-step-due="{timezone.localtime(by_action["Chuyển xử lý"].step_due_at).isoformat()}"' in page
    assert client.get(reverse("dossiers:control-sheet-pdf", args=[dossier.pk])).status_code == 200


def test_a_step_deadline_is_never_after_the_dossiers_due_date(agency):
    dossier, people = dossier_in_status(S.RECEIVED, procedure=ProcedureFactory(agency=agency, processing_time=2))
    # Forwarded long after its due date
    Dossier.objects.filter(pk=dossier.pk).update(
        received_at=dossier.received_at - timedelta(days=20),
        original_due_at=dossier.due_at - timedelta(days=19),
        due_at=dossier.due_at - timedelta(days=19),
    )
    dossier.events.filter(action=Action.RECEIVE).update(created_at=dossier.received_at - timedelta(days=20))
    dossier.refresh_from_db()
    dossier = services.dossier_forward(dossier=dossier, officer=people["reception"])

    (forward,) = [row for row in selectors.dossier_control_sheet(dossier=dossier) if row.action == "Chuyển xử lý"]

    assert forward.step_due_at <= dossier.due_at
