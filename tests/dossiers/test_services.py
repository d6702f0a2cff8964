"""Correctness of the dossier services beyond the transition table: who may take a dossier, what the
services store (declared data, phones, ID numbers), the apply flow shared by the web form and the API,
concurrent counter intake, withdrawal during a supplement, files and transactions, the language of
notifications, the fields a dossier keeps, and the apology date."""

import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from dossiers import services
from dossiers.constants import Action, Channel, DeliveryMethod, DossierStatus, Outcome
from dossiers.forms.applicant_fields import ApplicantDataForm, clean_applicant_data
from dossiers.models import Dossier, DossierDocument, DossierEvent, SupplementRequest
from dossiers.services.delivery import DeliveryChoice
from dossiers.workflow import TransitionNotAllowed, allowed_actions
from portal.models import OutboxMessage
from tests.concurrency import run_at_once
from tests.factories import (
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    dossier_in_status,
    pdf_upload,
)

S = DossierStatus

# A procedure's applicant data fields of every kind the checks differ on.
SPEC = [
    {"name": "ho_ten", "label": "Họ tên chủ hộ", "type": "text", "required": True},
    {"name": "so_cccd", "label": "Số CCCD chủ hộ", "type": "citizen_id"},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date"},
    {"name": "so_nhan_khau", "label": "Số nhân khẩu", "type": "number"},
    {"name": "dien_thoai", "label": "Điện thoại liên hệ", "type": "phone"},
    {"name": "loai", "label": "Loại đề nghị", "type": "choice", "choices": ["Cấp mới", "Cấp lại"]},
]
GOOD_DATA = {
    "ho_ten": "Nguyễn Văn An",
    "so_cccd": "034085000123",
    "ngay_sinh": "1985-04-30",
    "so_nhan_khau": 4,
    "dien_thoai": "0912345678",
    "loai": "Cấp mới",
}


@pytest.fixture
def media_root(settings, tmp_path):
    """A private MEDIA_ROOT: other test runs write to the shared one at the same time."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def not_a_pdf(name="gia-mao.pdf"):
    return SimpleUploadedFile(name, b"day khong phai la PDF", content_type="application/pdf")


def procedure_with_fields(**kwargs):
    procedure = ProcedureFactory(full_online=True, delivers_at_counter=True, applicant_fields=SPEC, **kwargs)
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])
    return procedure


def apply(applicant, procedure, *, token=None, form_data=None, files=None, submit=True, **overrides):
    component = procedure.documents.get()
    kwargs = {
        "applicant": applicant,
        "procedure": procedure,
        "client_token": token or uuid.uuid4(),
        "form_data": GOOD_DATA if form_data is None else form_data,
        "applicant_phone": "0912345678",
        "applicant_address": "12 Lê Lợi, Thái Bình",
        "delivery_method": DeliveryMethod.ONLINE,
        "files_by_component": {component.pk: [pdf_upload()]} if files is None else files,
        "submit": submit,
    }
    kwargs.update(overrides)
    return services.dossier_apply(**kwargs)


# --- 1. take: only an unassigned dossier ---------------------------------------------------------


@pytest.mark.django_db
def test_a_colleague_cannot_take_an_assigned_dossier():
    # Given a dossier in processing that one specialist has taken
    dossier, officers = dossier_in_status(S.PROCESSING)
    holder = officers["processing"]
    holder.full_name = "Trần Thị Bình"
    holder.save(update_fields=["full_name"])
    dossier = services.dossier_take(dossier=dossier, officer=holder)
    colleague = UserFactory(processing_officer=True, agency=dossier.agency)

    # When a colleague tries to take it, Then it is refused with the holder's name
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dossier_take(dossier=dossier, officer=colleague)
    assert (refused.value.message, refused.value.code) == ("Hồ sơ đang do Trần Thị Bình xử lý.", "already_assigned")
    assert Action.TAKE not in allowed_actions(dossier=dossier, user=colleague)
    dossier.refresh_from_db()
    assert dossier.assignee == holder
    assert dossier.events.filter(action=Action.TAKE).count() == 1


@pytest.mark.django_db
def test_a_dossier_forwarded_to_a_specialist_is_not_taken_by_another():
    dossier, officers = dossier_in_status(S.RECEIVED)
    chosen = officers["processing"]
    colleague = UserFactory(processing_officer=True, agency=dossier.agency)
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"], assignee=chosen)

    with pytest.raises(TransitionNotAllowed, match="đang do"):
        services.dossier_take(dossier=dossier, officer=colleague)
    with pytest.raises(TransitionNotAllowed, match="Bạn đang xử lý") as refused:
        services.dossier_take(dossier=dossier, officer=chosen)
    assert refused.value.code == "already_assigned"
    dossier.refresh_from_db()
    assert dossier.assignee == chosen


@pytest.mark.django_db
def test_an_unassigned_dossier_is_taken():
    dossier, officers = dossier_in_status(S.PROCESSING)
    assert Action.TAKE in allowed_actions(dossier=dossier, user=officers["processing"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    assert dossier.assignee == officers["processing"]


# --- 2. the services check what they store -------------------------------------------------------


def test_clean_applicant_data_returns_the_json_to_store():
    cleaned = clean_applicant_data(
        SPEC, {**GOOD_DATA, "ngay_sinh": "30/04/1985", "so_nhan_khau": "4"}, require_required=True
    )
    assert cleaned == {**GOOD_DATA, "so_nhan_khau": 4}


def test_clean_applicant_data_requires_required_fields_only_at_submission():
    assert clean_applicant_data(SPEC, {}, require_required=False)["ho_ten"] == ""
    with pytest.raises(ValidationError) as refused:
        clean_applicant_data(SPEC, {}, require_required=True)
    assert refused.value.messages == ["Còn thiếu thông tin bắt buộc: Họ tên chủ hộ."]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"so_cccd": "123"}, "Số CCCD chủ hộ: Số CCCD phải gồm đúng 12 chữ số."),
        ({"ngay_sinh": "31/02/1985"}, "Ngày sinh: Ngày không hợp lệ (ví dụ 31/12/1990)."),
        ({"so_nhan_khau": "bốn"}, "Số nhân khẩu: Hãy nhập một số."),
        ({"dien_thoai": "12345"}, "Điện thoại liên hệ: Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
        ({"loai": "Cấp đổi"}, "Loại đề nghị: Hãy chọn một giá trị trong danh sách."),
        ({"ho_ten": ["một", "danh sách"]}, "Họ tên chủ hộ: giá trị không hợp lệ."),
        ({"ma_la": "x"}, "Thông tin kê khai có trường không thuộc thủ tục này: ma_la."),
    ],
)
def test_clean_applicant_data_names_the_field_in_each_refusal(change, message):
    with pytest.raises(ValidationError) as refused:
        clean_applicant_data(SPEC, {**GOOD_DATA, **change}, require_required=False)
    assert refused.value.messages == [message]


def test_the_form_applies_the_same_rule():
    form = ApplicantDataForm(
        {f"data-{name}": value for name, value in {**GOOD_DATA, "dien_thoai": "+84 912 345 678"}.items()},
        prefix="data",
        spec=SPEC,
    )
    assert form.is_valid(), form.errors
    assert form.to_json() == {**GOOD_DATA, "dien_thoai": "0912345678"}


@pytest.mark.django_db
def test_update_draft_refuses_bad_declared_data_and_phone_and_keeps_the_draft():
    procedure = procedure_with_fields()
    dossier = apply(UserFactory(citizen=True), procedure, form_data={"ho_ten": "Nguyễn Văn An"}, submit=False)

    for form_data, phone in [({"ngay_sinh": "hôm qua"}, ""), ({"khong_co": "1"}, ""), ({}, "09123")]:
        with pytest.raises(ValidationError):
            services.dossier_update_draft(
                dossier=dossier,
                applicant=dossier.applicant,
                form_data=form_data,
                delivery=DeliveryChoice(method=DeliveryMethod.ONLINE),
                applicant_phone=phone,
            )

    dossier.refresh_from_db()
    assert dossier.form_data["ho_ten"] == "Nguyễn Văn An" and dossier.applicant_phone == "0912345678"


@pytest.mark.django_db
def test_update_draft_normalises_the_phone():
    procedure = procedure_with_fields()
    dossier = apply(UserFactory(citizen=True), procedure, submit=False, applicant_phone="+84 987.654.321")
    assert dossier.applicant_phone == "0987654321"


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"form_data": {**GOOD_DATA, "so_cccd": "999085000123"}}, "Số CCCD chủ hộ: Mã tỉnh"),
        ({"form_data": {**GOOD_DATA, "ngay_sinh": "1985-13-01"}}, "Ngày sinh: Ngày không hợp lệ"),
        ({"form_data": {**GOOD_DATA, "ghi_chu_la": "x"}}, "không thuộc thủ tục này: ghi_chu_la"),
        ({"applicant_phone": "1900 1234"}, "Số điện thoại gồm 10 hoặc 11 chữ số"),
    ],
)
def test_api_create_with_bad_data_is_a_400_and_saves_nothing(media_root, change, message):
    procedure = procedure_with_fields()
    component = procedure.documents.get()
    data = {
        "procedure": procedure.code,
        "form_data": GOOD_DATA,
        "delivery_method": DeliveryMethod.ONLINE,
        f"document_{component.pk}": [pdf_upload()],
        **change,
    }
    data["form_data"] = json.dumps(data["form_data"])

    response = api_client_for(UserFactory(citizen=True)).post(
        "/api/v1/dossiers/", data, format="multipart", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )

    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_api_create_with_good_data_stores_it_checked(media_root):
    procedure = procedure_with_fields()
    component = procedure.documents.get()
    response = api_client_for(UserFactory(citizen=True)).post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "form_data": json.dumps({**GOOD_DATA, "ngay_sinh": "30/04/1985"}),
            "delivery_method": DeliveryMethod.ONLINE,
            "applicant_phone": "0912 345 678",
            f"document_{component.pk}": [pdf_upload()],
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get()
    assert dossier.form_data == GOOD_DATA  # the date stored as ISO
    assert dossier.applicant_phone == "0912345678"


def intake(officer, procedure, **overrides):
    component = procedure.documents.get()
    kwargs = {
        "officer": officer,
        "procedure": procedure,
        "client_token": uuid.uuid4(),
        "channel": Channel.COUNTER,
        "applicant_name": "Lê Thị Cúc",
        "applicant_id_number": "034185000777",
        "applicant_phone": "0912345678",
        "form_data": GOOD_DATA,
        "delivery_method": DeliveryMethod.COUNTER,
        "files_by_component": {component.pk: [pdf_upload()]},
    }
    kwargs.update(overrides)
    return services.dossier_record_intake(**kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"applicant_id_number": "12345"}, "Số giấy tờ phải là số CCCD (12 chữ số) hoặc mã số thuế"),
        ({"applicant_id_number": "999185000777"}, "Mã tỉnh"),
        ({"applicant_phone": "abc"}, "Số điện thoại gồm 10 hoặc 11 chữ số"),
        ({"applicant_email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"form_data": {"so_cccd": "034085000123"}}, "Còn thiếu thông tin bắt buộc: Họ tên chủ hộ."),
        ({"form_data": {**GOOD_DATA, "loai": "Khác"}}, "Loại đề nghị: Hãy chọn"),
    ],
)
def test_intake_refuses_bad_values_and_saves_nothing(media_root, change, message):
    procedure = procedure_with_fields()
    officer = UserFactory(reception_officer=True, agency=procedure.agency)

    with pytest.raises(ValidationError) as refused:
        intake(officer, procedure, **change)

    assert message in " ".join(refused.value.messages)
    assert not Dossier.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_intake_normalises_the_id_number_and_phone():
    procedure = procedure_with_fields()
    officer = UserFactory(reception_officer=True, agency=procedure.agency)
    dossier = intake(officer, procedure, applicant_id_number="034 185 000 777", applicant_phone="+84912345678")
    assert (dossier.applicant_id_number, dossier.applicant_phone) == ("034185000777", "0912345678")
    assert dossier.status == S.RECEIVED


# --- 3. the counter intake form posted twice at once ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_intake_posted_twice_at_once_makes_one_dossier():
    # Given an intake form (one token) that the officer's browser sends twice at the same moment
    procedure = procedure_with_fields()
    officer = UserFactory(reception_officer=True, agency=procedure.agency)
    token = uuid.uuid4()

    # When both requests run together
    results, errors = run_at_once(2, lambda i: intake(officer, procedure, client_token=token).pk)

    # Then both answer the same dossier and nothing fails
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert dossier.code.endswith("-0001") and dossier.status == S.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1


# --- 4. withdrawing while a supplement is awaited ------------------------------------------------


@pytest.mark.django_db
def test_withdrawal_during_a_supplement_closes_the_request():
    dossier, _officers = dossier_in_status(S.SUPPLEMENT_REQUESTED)
    assert dossier.resume_status == S.RECEIVED

    dossier = services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="Không cần nữa")

    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN
    assert dossier.resume_status == "" and dossier.paused_at is None
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.cancelled_at is not None and request.answered_at is None


# --- 6. one apply flow -------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_submits_in_one_call_and_a_retry_returns_the_same_dossier():
    procedure, citizen, token = procedure_with_fields(), UserFactory(citizen=True), uuid.uuid4()

    first = apply(citizen, procedure, token=token)
    again = apply(citizen, procedure, token=token)

    assert first.status == S.SUBMITTED and first.code
    assert again.pk == first.pk
    assert DossierDocument.objects.count() == 1


@pytest.mark.django_db
def test_apply_refuses_a_token_of_another_procedure_or_applicant():
    procedure, citizen, token = procedure_with_fields(), UserFactory(citizen=True), uuid.uuid4()
    apply(citizen, procedure, token=token, submit=False)
    message = "Phiên nộp hồ sơ này thuộc một hồ sơ khác. Hãy tải lại trang để nộp hồ sơ mới."

    with pytest.raises(ValidationError) as other_procedure:
        apply(citizen, procedure_with_fields(), token=token)
    with pytest.raises(ValidationError) as other_applicant:
        apply(UserFactory(citizen=True), procedure, token=token)

    assert other_procedure.value.messages == [message] == other_applicant.value.messages
    dossier = Dossier.objects.get()
    assert dossier.procedure == procedure and dossier.is_draft


@pytest.mark.django_db
def test_apply_refuses_a_component_of_another_procedure():
    procedure = procedure_with_fields()
    foreign = RequiredDocumentFactory()
    with pytest.raises(ValidationError, match=f"Thành phần hồ sơ {foreign.pk} không thuộc thủ tục này."):
        apply(UserFactory(citizen=True), procedure, files={foreign.pk: [pdf_upload()]})
    assert not Dossier.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"is_active": False}, {"accepts_online": False, "online_level": 3}])
def test_submit_checks_that_the_procedure_still_accepts_online_dossiers(change):
    # Given a complete draft
    procedure = procedure_with_fields()
    dossier = apply(UserFactory(citizen=True), procedure, submit=False)
    # When the procedure stops taking online dossiers before the applicant submits
    for name, value in change.items():
        setattr(procedure, name, value)
    procedure.save()
    # Then the submission is refused and the draft stays a draft
    with pytest.raises(ValidationError, match="không nhận hồ sơ trực tuyến"):
        services.dossier_submit(dossier=dossier, applicant=dossier.applicant)
    dossier.refresh_from_db()
    assert dossier.is_draft and dossier.code is None


@pytest.mark.django_db
def test_the_web_form_and_the_api_both_apply_through_the_service(client, monkeypatch):
    procedure = procedure_with_fields()
    citizen = UserFactory(citizen=True)
    calls = []
    real = services.dossier_apply
    monkeypatch.setattr(services, "dossier_apply", lambda **kw: calls.append(kw["submit"]) or real(**kw))
    component = procedure.documents.get()

    client.force_login(citizen)
    web = client.post(
        reverse("dossiers:apply", args=[procedure.code]),
        {
            "client_token": str(uuid.uuid4()),
            "action": "submit",
            "applicant_phone": "0912345678",
            "applicant_address": "12 Lê Lợi",
            "delivery_method": DeliveryMethod.ONLINE,
            **{f"data-{name}": value for name, value in GOOD_DATA.items()},
            f"doc_{component.pk}": pdf_upload(),
        },
    )
    api = api_client_for(citizen).post(
        "/api/v1/dossiers/",
        {
            "procedure": procedure.code,
            "form_data": json.dumps(GOOD_DATA),
            "delivery_method": DeliveryMethod.ONLINE,
            f"document_{component.pk}": [pdf_upload()],
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert web.status_code == 302 and api.status_code == 201, api.content
    assert calls == [True, True]
    assert Dossier.objects.filter(status=S.SUBMITTED).count() == 2


# --- 7. files follow the transaction -----------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_second_file_writes_no_file(media_root):
    procedure = procedure_with_fields()
    component = procedure.documents.get()

    with pytest.raises(ValidationError, match="gia-mao.pdf"):
        apply(UserFactory(citizen=True), procedure, files={component.pk: [pdf_upload(), not_a_pdf()]})

    assert not Dossier.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_files_written_before_a_refusal_are_deleted_with_the_rollback(media_root):
    # Given an application whose files are good but whose declared data misses a required field, so
    # the submission (after the files are written) refuses it
    procedure = procedure_with_fields()
    component = procedure.documents.get()
    with pytest.raises(ValidationError, match="Còn thiếu thông tin bắt buộc"):
        apply(
            UserFactory(citizen=True),
            procedure,
            form_data={},
            files={component.pk: [pdf_upload("mot.pdf"), pdf_upload("hai.pdf")]},
        )
    # Then neither the rows nor the files remain
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_a_caller_transaction_rolled_back_after_the_services_deletes_their_files(media_root):
    procedure = procedure_with_fields()
    citizen = UserFactory(citizen=True)

    with pytest.raises(RuntimeError), services.atomic_with_files():
        apply(citizen, procedure, submit=False)
        assert len(stored_files(media_root)) == 1
        raise RuntimeError("the request fails after the service returned")

    assert not Dossier.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_removing_a_document_deletes_its_file_after_commit(media_root, django_capture_on_commit_callbacks):
    dossier = apply(UserFactory(citizen=True), procedure_with_fields(), submit=False)
    document = dossier.documents.get()
    path = Path(document.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_remove_document(dossier=dossier, applicant=dossier.applicant, document_id=document.pk)
        assert path.exists()  # not before the commit

    assert not path.exists()
    assert not DossierDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db
def test_a_removal_rolled_back_keeps_the_file(media_root, django_capture_on_commit_callbacks):
    dossier = apply(UserFactory(citizen=True), procedure_with_fields(), submit=False)
    document = dossier.documents.get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.dossier_remove_document(dossier=dossier, applicant=dossier.applicant, document_id=document.pk)
            raise RuntimeError("rolled back")

    assert callbacks == []
    assert Path(document.file.path).exists()
    assert DossierDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.django_db
def test_a_new_proposal_deletes_the_previous_result_file_after_commit(media_root, django_capture_on_commit_callbacks):
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)
    old = dossier.results.get()
    old_path = Path(old.source_file.path)
    dossier = services.dossier_send_back(dossier=dossier, approver=officers["approver"], note="Sửa lại trích yếu")

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_propose(
            dossier=dossier, officer=officers["processing"], outcome=Outcome.RESULT, result_file=pdf_upload("moi.pdf")
        )

    assert not old_path.exists()
    new = dossier.results.get()
    assert new.source_name == "moi.pdf" and Path(new.source_file.path).exists()


# --- 8. notifications in the portal's language -------------------------------------------------


@pytest.mark.django_db
def test_notifications_are_vietnamese_whatever_the_officers_language():
    dossier, officers = dossier_in_status(S.SUBMITTED)

    with translation.override("en"):
        dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
        services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], items=["Bản sao CCCD"])

    emails = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).order_by("id")
    subjects = [m.subject for m in emails]
    assert subjects[-2:] == [f"Hồ sơ {dossier.code} đã được tiếp nhận", f"Hồ sơ {dossier.code} cần bổ sung"]
    assert "Ngày hẹn trả kết quả" in emails[len(subjects) - 2].body
    assert f"Mã hồ sơ: {dossier.code}" in emails.last().body
    sms = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS).last()
    assert sms is None or "cần bổ sung" in sms.body


@pytest.mark.django_db
def test_approval_notification_names_the_delivery_method_in_vietnamese():
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)
    with translation.override("en"):
        services.dossier_approve(dossier=dossier, approver=officers["approver"])
    email = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).last()
    assert email.body.startswith(f"Hồ sơ {dossier.code} đã có kết quả\n\nKết quả được trả theo hình thức: Nhận")


# --- 9. a dossier keeps the fields it was filed under ------------------------------------------


@pytest.mark.django_db
def test_the_dossier_pages_show_the_labels_of_submission(client):
    # Given a dossier submitted with the procedure's fields
    procedure = procedure_with_fields()
    citizen = UserFactory(citizen=True)
    dossier = apply(citizen, procedure)
    reception = UserFactory(reception_officer=True, agency=procedure.agency)
    assert dossier.applicant_fields == SPEC

    # When an administrator renames a label and drops a field afterwards
    procedure.applicant_fields = [{**SPEC[0], "label": "Tên người đứng đầu hộ"}]
    procedure.save()

    # Then the citizen's and the officer's pages still show what the dossier was filed under
    client.force_login(citizen)
    mine = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    client.logout()
    client.force_login(reception)
    office = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).content.decode()
    for page in (mine, office):
        assert "Họ tên chủ hộ" in page and "Số nhân khẩu" in page
        assert "Tên người đứng đầu hộ" not in page


@pytest.mark.django_db
def test_intake_keeps_the_fields_too():
    procedure = procedure_with_fields()
    dossier = intake(UserFactory(reception_officer=True, agency=procedure.agency), procedure)
    procedure.applicant_fields = []
    procedure.save()
    dossier.refresh_from_db()
    assert dossier.applicant_fields == SPEC


# --- 10. the apology's new date ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_apology_date_in_the_past_is_refused(monkeypatch):
    # Given an overdue dossier (its due date three days ago)
    dossier, officers = dossier_in_status(S.RECEIVED)
    due = timezone.now() - timedelta(days=3)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due, original_due_at=due)

    # When the officer gives a new date after the old one but already past, Then it is refused
    with pytest.raises(ValidationError) as refused:
        services.dossier_apologize(
            dossier=dossier, officer=officers["reception"], new_due_at=due + timedelta(days=1), reason="Chờ xác minh"
        )
    assert refused.value.messages == ["Ngày hẹn mới phải sau thời điểm hiện tại."]
    dossier.refresh_from_db()
    assert dossier.apologized_at is None and dossier.due_at == due

    # And a date ahead is accepted
    later = timezone.now() + timedelta(days=2)
    dossier = services.dossier_apologize(
        dossier=dossier, officer=officers["reception"], new_due_at=later, reason="Chờ xác minh"
    )
    assert dossier.due_at == later
