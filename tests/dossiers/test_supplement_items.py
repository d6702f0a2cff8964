"""Supplements per requested item: the officer names required documents and written items with a deadline (page
and API), the applicant answers each item with its own files, the printed request carries the deadline, and the
applicant is reminded once before it (dossiers/services/supplements.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.constants import DocumentKind
from dossiers.constants import DossierStatus as S
from dossiers.models import SupplementRequest
from dossiers.pdf import supplement_request_content
from dossiers.pdf.content import Paragraph
from dossiers.tasks import remind_supplements
from portal.models import OutboxMessage
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, dossier_in_status, pdf_upload

from .test_citizen_pages import page_text, png_upload
from .test_officer_pages import post_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """A received dossier whose procedure has a PDF-only declaration and a photo (PDF or image) component."""
    procedure = ProcedureFactory()
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])
    RequiredDocumentFactory(procedure=procedure, name="Ảnh thẻ", accepted_file_types=["pdf", "png", "jpg"])
    dossier, officers = dossier_in_status(S.RECEIVED, procedure=procedure)
    return dossier, officers


def components(dossier):
    return list(dossier.procedure.documents.order_by("position", "id"))


def test_the_officer_names_components_and_written_items_with_a_deadline(client, received):
    dossier, officers = received
    declaration, _photo = components(dossier)
    deadline = timezone.localdate() + timedelta(days=7)
    client.force_login(officers["reception"])

    messages = post_action(
        client,
        dossier,
        "request_supplement",
        {
            "request_supplement-components": [str(declaration.pk)],
            "request_supplement-items": "Giấy xác nhận cư trú",
            "request_supplement-respond_by": deadline.isoformat(),
        },
    )

    assert "Đã gửi yêu cầu bổ sung" in messages[0]
    request = dossier.supplement_requests.get()
    assert request.items == ["Tờ khai", "Giấy xác nhận cư trú"]
    assert request.item_components == [declaration.pk, None]
    assert request.respond_by == deadline
    email = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).last()
    assert deadline.strftime("%d/%m/%Y") in email.body


def test_a_request_without_a_deadline_gets_the_default_one(received, settings):
    dossier, officers = received
    services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], items=["Bản sao"])
    expected = timezone.localdate() + timedelta(days=settings.SUPPLEMENT_RESPONSE_DAYS)
    assert dossier.supplement_requests.get().respond_by == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"request_supplement-items": " "}, "Hãy liệt kê giấy tờ cần bổ sung."),
        (
            {"request_supplement-items": "Bản sao", "request_supplement-respond_by": "2020-01-01"},
            "Hạn bổ sung phải sau ngày hôm nay.",
        ),
        ({"request_supplement-items": "Bản sao", "request_supplement-respond_by": "31/31/2026"}, "Ngày không hợp lệ."),
    ],
)
def test_bad_requests_are_refused_in_vietnamese_and_change_nothing(client, received, data, message):
    dossier, officers = received
    client.force_login(officers["reception"])

    messages = post_action(client, dossier, "request_supplement", data)

    assert any(message in text for text in messages), messages
    assert dossier.status == S.RECEIVED and not dossier.supplement_requests.exists()


def test_a_component_of_another_procedure_is_refused(received):
    dossier, officers = received
    stranger = RequiredDocumentFactory()
    with pytest.raises(Exception, match="thành phần hồ sơ của thủ tục này"):
        services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], components=[stranger.pk])
    assert not SupplementRequest.objects.exists()


def test_the_api_takes_components_and_a_deadline_and_refuses_a_bad_date(received, api_client):
    dossier, officers = received
    _declaration, photo = components(dossier)
    api_client.force_authenticate(user=officers["reception"])
    url = f"/api/v1/dossiers/{dossier.code}/request-supplement/"

    bad = api_client.post(url, {"components": [photo.pk], "respond_by": "ngay-mai"}, format="json")
    assert bad.status_code == 400
    deadline = timezone.localdate() + timedelta(days=3)
    good = api_client.post(url, {"components": [photo.pk], "respond_by": deadline.isoformat()}, format="json")

    assert good.status_code == 200, good.content
    request = dossier.supplement_requests.get()
    assert (request.items, request.respond_by) == (["Ảnh thẻ"], deadline)


def test_the_applicant_cannot_ask_for_a_supplement(client, received):
    dossier, _officers = received
    client.force_login(dossier.applicant)
    response = client.post(
        reverse("dossiers:officer-action", args=[dossier.pk, "request_supplement"]),
        {"request_supplement-items": "x"},
    )
    assert response.status_code in (403, 404)
    assert not dossier.supplement_requests.exists()


def requested(received):
    dossier, officers = received
    declaration, _photo = components(dossier)
    services.dossier_request_supplement(
        dossier=dossier, officer=officers["reception"], components=[declaration.pk], items=["Giấy xác nhận cư trú"]
    )
    return dossier


def test_the_applicant_answers_each_item_and_sees_the_deadline(client, received):
    dossier = requested(received)
    client.force_login(dossier.applicant)
    page = page_text(client.get(reverse("dossiers:my-dossier", args=[dossier.pk])))
    assert "Hạn bổ sung:" in page and 'name="muc_0"' in page and 'name="muc_1"' in page

    response = client.post(
        reverse("dossiers:my-dossier-supplement", args=[dossier.pk]),
        {"muc_0": [pdf_upload("to-khai.pdf")], "muc_1": [png_upload("cu-tru.png")]},
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED
    request = dossier.supplement_requests.get()
    answered = {
        (d.original_name, d.supplement_item, d.supplement_request_id)
        for d in dossier.documents.filter(kind=DocumentKind.SUPPLEMENT)
    }
    assert answered == {("to-khai.pdf", 0, request.pk), ("cu-tru.png", 1, request.pk)}


def test_an_item_without_a_file_or_of_the_wrong_type_saves_nothing(client, received):
    dossier = requested(received)
    client.force_login(dossier.applicant)
    url = reverse("dossiers:my-dossier-supplement", args=[dossier.pk])

    missing = page_text(client.post(url, {"muc_0": [pdf_upload()]}))
    wrong_type = page_text(client.post(url, {"muc_0": [png_upload("to-khai.png")], "muc_1": [pdf_upload()]}))

    assert "Hãy tải lên tệp cho mục này." in missing
    assert "Tệp “to-khai.png” (Tờ khai) không đúng định dạng" in wrong_type
    dossier.refresh_from_db()
    assert dossier.status == S.SUPPLEMENT_REQUESTED
    assert not dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).exists()


def test_another_citizen_cannot_answer(client, received):
    dossier = requested(received)
    client.force_login(UserFactory(citizen=True))
    response = client.post(
        reverse("dossiers:my-dossier-supplement", args=[dossier.pk]),
        {"muc_0": [pdf_upload()], "muc_1": [pdf_upload()]},
    )
    assert response.status_code == 404


def test_the_printed_request_carries_the_deadline(received):
    dossier = requested(received)
    request = dossier.supplement_requests.get()
    content = supplement_request_content(dossier, request=request)
    texts = [block.text for block in content.body if isinstance(block, Paragraph)]
    assert f"Hạn nộp hồ sơ bổ sung: {request.respond_by.strftime('%d/%m/%Y')}." in texts


def reminders():
    return OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL, subject__startswith="Nhắc hạn bổ sung")


def test_the_reminder_goes_out_once_before_the_deadline(received, settings):
    dossier = requested(received)
    request = dossier.supplement_requests.get()
    SupplementRequest.objects.filter(pk=request.pk).update(respond_by=timezone.localdate() + timedelta(days=10))
    assert remind_supplements() == 0  # not yet

    SupplementRequest.objects.filter(pk=request.pk).update(
        respond_by=timezone.localdate() + timedelta(days=settings.SUPPLEMENT_REMINDER_DAYS)
    )
    assert remind_supplements() == 1
    assert remind_supplements() == 0  # a second run sends nothing again
    assert reminders().count() == 1
    assert dossier.code in reminders().get().subject


def test_no_reminder_for_an_answered_request(client, received, settings):
    dossier = requested(received)
    SupplementRequest.objects.update(respond_by=timezone.localdate() + timedelta(days=1))
    services.dossier_supplement(
        dossier=dossier, user=dossier.applicant, files_by_item={0: [pdf_upload()], 1: [pdf_upload()]}
    )
    assert remind_supplements() == 0
    assert not reminders().exists()
