"""Writes of the applicant: drafts, documents, submission, supplement, withdrawal."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.validators import normalize_phone, validate_phone
from procedures.models import Procedure, RequiredDocument

from ..applicant_data import clean_applicant_data
from ..constants import (
    Action,
    Channel,
    DocumentKind,
    DossierStatus,
    PostageStatus,
)
from ..error_codes import ErrorCode
from ..locks import dossier_lock
from ..models import Dossier, DossierDocument
from ..selectors.applicant import dossier_of_form, pending_uploads_for, supplement_items_for
from ..uploads import FREE_FILE_TYPES, check_upload
from ..workflow import TransitionNotAllowed
from .core import (
    atomic_with_files,
    check_component_files,
    clean_text,
    close_pause,
    delete_file_on_commit,
    next_code,
    notify_applicant,
    procedure_terms,
    store_files,
    transition,
    validate_delivery,
)
from .delivery import DeliveryChoice, delivery_choose, delivery_write
from .pending import pending_as_upload, pending_uploads_consume
from .wallet import mark_reused, wallet_uploads


def _check_accepts_online(procedure: Procedure) -> None:
    if not procedure.is_active or not procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tuyến."))


@atomic_with_files()
def dossier_start_draft(*, applicant, procedure: Procedure, client_token) -> Dossier:
    """The applicant's draft for a procedure; the same form token always gives the same dossier, and a
    token that already names a dossier of another applicant or another procedure is refused."""
    _check_accepts_online(procedure)
    dossier, created = Dossier.objects.get_or_create(
        client_token=client_token,
        defaults={
            "procedure": procedure,
            "agency": procedure.agency,
            "applicant": applicant,
            "applicant_type": applicant.applicant_type,
            "applicant_name": applicant.organization_name or applicant.full_name,
            "applicant_id_number": applicant.tax_code or applicant.citizen_id or "",
            "applicant_phone": applicant.phone,
            "applicant_email": applicant.email,
            "channel": Channel.ONLINE,
            "delivery_method": procedure.delivery_methods[0],
        },
    )
    if dossier.applicant_id != applicant.pk or dossier.procedure_id != procedure.pk:
        raise ValidationError(_("Phiên nộp hồ sơ này thuộc một hồ sơ khác. Hãy tải lại trang để nộp hồ sơ mới."))
    return dossier


@atomic_with_files()
def dossier_update_draft(
    *,
    dossier: Dossier,
    applicant,
    form_data: dict,
    delivery: DeliveryChoice,
    applicant_address: str = "",
    applicant_phone: str = "",
    applicant_email: str | None = None,
) -> Dossier:
    """Save what the applicant declared in a draft. Every value is checked here, whatever the caller:
    the declared data against the procedure's fields (required ones only at submission), the phone and e-mail the
    notifications go to (`applicant_email` None: left as it is; blank: the account's) and the lengths; `delivery`
    was checked and quoted before the caller's transaction opened (`application_delivery`)."""
    dossier = dossier_lock(dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không sửa được bản nháp."), ErrorCode.NOT_IN_STATUS)
    form_data = clean_applicant_data(dossier.procedure.applicant_fields, form_data, require_required=False)
    phone = normalize_phone(applicant_phone.strip())
    if phone:
        validate_phone(phone)
    delivery_fields = delivery_write(dossier, delivery)
    dossier.form_data = form_data
    dossier.applicant_address = clean_text(applicant_address, max_length=255, label=_("Địa chỉ liên hệ"))
    dossier.applicant_phone = phone or dossier.applicant_phone
    if applicant_email is not None:
        dossier.applicant_email = _clean_email(applicant_email) or applicant.email
    dossier.save(
        update_fields=[
            "form_data",
            *delivery_fields,
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "updated_at",
        ]
    )
    return dossier


def _clean_email(email: str) -> str:
    email = email.strip().lower()
    if email:
        validate_email(email)
    return email


@atomic_with_files()
def dossier_add_documents(*, dossier: Dossier, applicant, required_document: RequiredDocument, files) -> list:
    """Attach files to a component of a draft; all files are checked before any is written."""
    if required_document.procedure_id != dossier.procedure_id:
        raise ValidationError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    accepted, label = required_document.accepted_types_or_default, required_document.name
    files = [check_upload(uploaded, accepted_types=accepted, label=label) for uploaded in files]
    return _store_application_files(dossier=dossier, applicant=applicant, files=[(required_document, f) for f in files])


def _store_application_files(*, dossier: Dossier, applicant, files: list[tuple]) -> list:
    """Store a request's checked files of the draft's components, `[(component, upload)]`, all at once: the
    volume limits hold for the request as a whole."""
    dossier = dossier_lock(dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không thêm tệp vào bản nháp được."), ErrorCode.NOT_IN_STATUS)
    return store_files(dossier=dossier, files=files, kind=DocumentKind.APPLICATION, user=applicant)


@transaction.atomic
def dossier_remove_document(*, dossier: Dossier, applicant, document_id: int) -> None:
    """Remove a file from a draft; the file itself is deleted once the removal commits."""
    dossier = dossier_lock(dossier.pk)
    if dossier.applicant_id != applicant.pk or not dossier.is_draft:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không xoá tệp được."), ErrorCode.NOT_IN_STATUS)
    document = dossier.documents.get(pk=document_id)
    delete_file_on_commit(document.file.storage, document.file.name)
    document.delete()


def _missing_components(dossier: Dossier) -> list[str]:
    provided = set(
        dossier.documents.filter(kind=DocumentKind.APPLICATION).values_list("required_document_id", flat=True)
    )
    return [doc.name for doc in dossier.procedure.documents.all() if doc.is_required and doc.pk not in provided]


@atomic_with_files()
def dossier_submit(*, dossier: Dossier, applicant) -> Dossier:
    """Submit a draft. Submitting again (a double click, a retried request) returns the same dossier:
    the row lock taken first makes the second request wait and then see the submitted dossier.

    The procedure must still be active and accept online submission; the declared data is checked
    again against the procedure's fields (required ones now) and the field list is copied onto the
    dossier with the other terms, so the dossier keeps the labels and choices its data answers."""
    locked = dossier_lock(dossier.pk)
    if locked.applicant_id == applicant.pk and not locked.is_draft:
        return locked
    with transition(dossier=dossier, user=applicant, action=Action.SUBMIT) as change:
        d = change.dossier
        _check_accepts_online(d.procedure)
        missing = _missing_components(d)
        if missing:
            raise ValidationError(_("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
        spec = d.procedure.applicant_fields or []
        # Answers to fields the procedure has dropped since the draft was saved are left out.
        declared = {item["name"] for item in spec}
        form_data = clean_applicant_data(
            spec, {name: value for name, value in d.form_data.items() if name in declared}, require_required=True
        )
        validate_delivery(d.procedure, d.delivery_method, d.delivery_address)
        now = timezone.now()
        change.update(
            code=next_code(agency=d.agency, day=timezone.localdate(now)),
            submitted_at=now,
            form_data=form_data,
            applicant_fields=spec,
            **procedure_terms(d.procedure),
        )
        notify_applicant(
            d,
            subject=gettext_lazy("Đã nộp hồ sơ %(code)s"),
            body=gettext_lazy("Hồ sơ “%(procedure)s” đã được gửi tới %(agency)s và đang chờ tiếp nhận."),
            params={"procedure": d.procedure.name, "agency": d.agency.name},
        )
    return change.dossier


def application_delivery(
    *,
    applicant,
    procedure: Procedure,
    client_token,
    delivery_method: str,
    postal_address: Mapping | None = None,
    postage_payment: str = "",
    submit: bool,
) -> DeliveryChoice:
    """The delivery of an application, checked and quoted before any transaction opens (the carrier is never
    waited for inside one). A save keeps the postage of the form's draft while the method and the receiving commune
    stay the same, so that with the carrier down a file can still be removed; a submission is quoted again."""
    draft = None if submit else dossier_of_form(user=applicant, procedure=procedure, client_token=client_token)
    return delivery_choose(
        procedure=procedure,
        delivery_method=delivery_method,
        postal_address=postal_address,
        postage_payment=postage_payment,
        quoted=draft,
    )


def dossier_apply(
    *,
    applicant,
    procedure: Procedure,
    client_token,
    form_data: dict,
    applicant_phone: str = "",
    applicant_email: str | None = None,
    applicant_address: str = "",
    delivery_method: str,
    postal_address: Mapping | None = None,
    postage_payment: str = "",
    files_by_component: dict[int, list] | None = None,
    reused_by_component: dict[int, list] | None = None,
    submit: bool,
    delivery: DeliveryChoice | None = None,
) -> Dossier:
    """An online application in one transaction, for the web form and the API alike: the draft of the
    form's token, the declared data, the files of each component, and with `submit` the submission.
    `delivery`: the same delivery already checked and quoted by `application_delivery`, for a caller that opens its
    transaction before this call (the web form); without it, it is quoted here before this call's transaction.

    Every file is checked before anything is written, and nothing is kept when any step is refused
    (files written by this call are deleted with the rollback). A token that already names a submitted
    dossier of this applicant and procedure returns it unchanged (a retried request); a token of
    another applicant's or another procedure's dossier is refused.
    `files_by_component` maps a component's id to its uploads, `reused_by_component` to the items of the applicant's
    wallet (selectors.wallet_item_get) it takes instead (services/wallet.py); the files an earlier refused request of
    the same form left pending (services/pending.py) are stored with them."""
    if delivery is None:
        delivery = application_delivery(
            applicant=applicant,
            procedure=procedure,
            client_token=client_token,
            delivery_method=delivery_method,
            postal_address=postal_address,
            postage_payment=postage_payment,
            submit=submit,
        )
    with atomic_with_files():
        components = check_component_files(procedure, files_by_component)
        reused = wallet_uploads(procedure=procedure, reused_by_component=reused_by_component or {})
        dossier = dossier_start_draft(applicant=applicant, procedure=procedure, client_token=client_token)
        if not dossier.is_draft:
            return dossier
        pending = list(pending_uploads_for(user=applicant, client_token=client_token, procedure=procedure))
        dossier = dossier_update_draft(
            dossier=dossier,
            applicant=applicant,
            form_data=form_data,
            delivery=delivery,
            applicant_address=applicant_address,
            applicant_phone=applicant_phone,
            applicant_email=applicant_email,
        )
        stored = _store_application_files(
            dossier=dossier,
            applicant=applicant,
            files=[
                *[(component, upload) for component, files in components for upload in files],
                *[(item.required_document, pending_as_upload(item)) for item in pending],
                *[(component, upload) for component, upload, _item in reused],
            ],
        )
        pending_uploads_consume(pending)
        if reused:
            mark_reused(stored[-len(reused) :], [item for _component, _upload, item in reused])
        if submit:
            dossier = dossier_submit(dossier=dossier, applicant=applicant)
    return dossier


def _supplement_files_by_item(request, files_by_item: dict[int, list]) -> list[tuple[int, object]]:
    """[(item position, checked upload)] answering every item of `request`; refused when an item has no file."""
    items = supplement_items_for(request=request)
    missing = [label for position, (label, _types) in enumerate(items) if not files_by_item.get(position)]
    if missing:
        raise ValidationError(_("Còn thiếu tệp cho: %(items)s.") % {"items": "; ".join(missing)})
    return [
        (position, check_upload(uploaded, accepted_types=types, label=label))
        for position, (label, types) in enumerate(items)
        for uploaded in files_by_item[position]
    ]


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, applicant, reason: str) -> Dossier:
    """The applicant withdraws before a decision. A supplement request left open is cancelled (it will
    never be answered) and the status it would have resumed is forgotten."""
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do rút hồ sơ."))
    with transition(dossier=dossier, user=applicant, action=Action.WITHDRAW, note=reason.strip()) as change:
        d = change.dossier
        if d.status == DossierStatus.SUPPLEMENT_REQUESTED:
            d.supplement_requests.filter(answered_at__isnull=True, cancelled_at__isnull=True).update(
                cancelled_at=timezone.now()
            )
        close_pause(change)
        if d.resume_status:
            change.update(resume_status="")
    return change.dossier


def dossier_supplement(
    *, dossier: Dossier, user, files=(), files_by_item: dict[int, list] | None = None, note: str = ""
) -> Dossier:
    """The applicant answers a supplement request; the clock restarts and the due date moves by the
    working time it was paused. `files_by_item` answers each item of the open request (position in its `items`:
    files), every item at least one file of the types it accepts; `files` (the API's) answer the request as a
    whole."""
    with transition(dossier=dossier, user=user, action=Action.SUPPLEMENT, note=note.strip()) as change:
        d = change.dossier
        request = d.supplement_requests.filter(answered_at__isnull=True, cancelled_at__isnull=True).last()
        if files_by_item is not None and request is not None:
            stored = _supplement_files_by_item(request, files_by_item)
        elif files:
            label = _("Hồ sơ bổ sung")
            stored = [(None, check_upload(uploaded, accepted_types=FREE_FILE_TYPES, label=label)) for uploaded in files]
        else:
            raise ValidationError(_("Hãy tải lên ít nhất một tệp bổ sung."))
        # every file checked (above) before any is written
        documents = store_files(
            dossier=d, files=[(None, upload) for _item, upload in stored], kind=DocumentKind.SUPPLEMENT, user=user
        )
        for document, (item, _upload) in zip(documents, stored, strict=True):
            document.supplement_request, document.supplement_item = request, item
        DossierDocument.objects.bulk_update(documents, ["supplement_request", "supplement_item"])
        now = timezone.now()
        d.supplement_requests.filter(answered_at__isnull=True, cancelled_at__isnull=True).update(answered_at=now)
        change.to_status = d.resume_status
        close_pause(change, resumed_at=now)
        change.update(resume_status="")
    return change.dossier


# Until the result is ready the applicant may still say how it goes back (unless the postage is paid already: the
# desk refunds it and changes the delivery).
DELIVERY_NOT_CHANGEABLE = gettext_lazy(
    "Không đổi được cách nhận kết quả nữa: kết quả đã có, hồ sơ đã kết thúc hoặc cước bưu chính đã được trả (hãy liên "
    "hệ Bộ phận tiếp nhận và trả kết quả)."
)
DELIVERY_CHANGEABLE_STATUSES = [
    DossierStatus.SUBMITTED,
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.PAYMENT_REQUESTED,
    DossierStatus.AWAITING_APPROVAL,
]


def delivery_changeable(dossier: Dossier) -> bool:
    """Whether the applicant may still change how the result goes back (the service checks again under the lock)."""
    return dossier.status in DELIVERY_CHANGEABLE_STATUSES and dossier.postage_status != PostageStatus.PAID


def dossier_change_delivery(
    *,
    dossier: Dossier,
    applicant,
    delivery_method: str,
    postal_address: Mapping | None = None,
    postage_payment: str = "",
) -> Dossier:
    """The applicant changes how the result goes back (by post: where, and how the postage is paid) until the result
    is ready. A postage already paid online is not changed here (the desk refunds it). The carrier is asked for the
    postage before the row is locked, as for a draft (services/delivery.py)."""
    choice = delivery_choose(
        procedure=dossier.procedure,
        delivery_method=delivery_method,
        postal_address=postal_address,
        postage_payment=postage_payment,
    )
    with transaction.atomic():
        locked = dossier_lock(dossier.pk)
        if locked.applicant_id != applicant.pk:
            raise TransitionNotAllowed(_("Hồ sơ này không phải của bạn."), ErrorCode.NOT_IN_STATUS)
        if not delivery_changeable(locked):
            raise TransitionNotAllowed(DELIVERY_NOT_CHANGEABLE, ErrorCode.NOT_IN_STATUS)
        fields = delivery_write(locked, choice)
        locked.save(update_fields=[*fields, "updated_at"])
    return locked
