"""Counter and postal intake: a paper dossier digitised and received by a reception officer."""

from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.constants import ApplicantType, Role
from portal.validators import clean_id_number, normalize_phone, validate_phone
from procedures.models import Procedure

from ..applicant_data import clean_applicant_data
from ..constants import (
    Action,
    Channel,
    DocumentKind,
    DossierStatus,
    PostagePayment,
)
from ..error_codes import ErrorCode
from ..models import Dossier
from ..workflow import TransitionNotAllowed
from .core import (
    atomic_with_files,
    check_component_files,
    clean_text,
    next_code,
    procedure_terms,
    record_event,
    store_files,
)
from .delivery import delivery_choose, delivery_write
from .office import dossier_receive


def _same_intake(*, officer, client_token) -> Dossier | None:
    """The dossier an earlier post of the same intake form made, if any; a token of another agency's
    dossier is refused."""
    already = Dossier.objects.filter(client_token=client_token).first()
    if already is not None and already.agency_id != officer.agency_id:
        raise ValidationError(_("Phiên tiếp nhận không hợp lệ. Hãy tải lại trang."))
    return already


def dossier_record_intake(
    *,
    officer,
    procedure: Procedure,
    client_token,
    channel: int,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    applicant_type: int = ApplicantType.CITIZEN,
    form_data: dict | None = None,
    delivery_method: str,
    postal_address: Mapping | None = None,
    files_by_component: dict[int, list] | None = None,
    postal_tracking_number: str = "",
    note: str = "",
    after_receipt: Sequence[Callable[..., None]] = (),
) -> Dossier:
    """A paper dossier brought to the counter or sent by post, digitised and received by an officer.

    The same `client_token` (one per intake form) always gives the same dossier, also when the form is
    posted twice at the same moment: the insert runs in a savepoint, and the request that loses the
    race on the token's unique index returns the dossier the other one made. Every value is checked
    here (declared data with its required fields, ID number, phone, e-mail, files before any is
    written; by post, the structured address and the carrier's postage as for an application, services/delivery.py,
    the postage paid on delivery). `after_receipt`: what other apps attach to the received dossier
    (dossiers.intake_links), each called with it in the same transaction, so its refusal undoes the intake.
    Every check, the carrier's quote among them, runs before that transaction opens: only reads come first."""
    already = _same_intake(officer=officer, client_token=client_token)
    if already is not None:
        return already
    if officer.agency_id != procedure.agency_id or not officer.has_role(Role.RECEPTION_OFFICER):
        raise TransitionNotAllowed(_("Bạn không có quyền tiếp nhận hồ sơ của thủ tục này."), ErrorCode.NOT_PERMITTED)
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise ValidationError(_("Hình thức nộp không hợp lệ."))
    if channel == Channel.POSTAL and not procedure.accepts_postal:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ qua bưu chính."))
    if channel == Channel.COUNTER and not procedure.accepts_counter:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tiếp."))
    if applicant_type not in ApplicantType.values:
        raise ValidationError(_("Loại người nộp không hợp lệ."))
    applicant_name = clean_text(applicant_name, max_length=255, label=_("Họ tên người nộp"))
    if not applicant_name:
        raise ValidationError(_("Hãy nhập họ tên người nộp."))
    applicant_id_number = clean_id_number(applicant_id_number) if applicant_id_number.strip() else ""
    applicant_phone = normalize_phone(applicant_phone.strip())
    if applicant_phone:
        validate_phone(applicant_phone)
    applicant_email = applicant_email.strip()
    if applicant_email:
        try:
            validate_email(applicant_email)
        except ValidationError:
            raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ.")) from None
    spec = procedure.applicant_fields or []
    form_data = clean_applicant_data(spec, form_data, require_required=True)
    components = check_component_files(procedure, files_by_component)
    provided = {component.pk for component, _files in components}
    missing = [doc.name for doc in procedure.documents.all() if doc.is_required and doc.pk not in provided]
    if missing:
        raise ValidationError(_("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
    # Last of the checks: by post, the carrier is asked for the postage.
    delivery = delivery_choose(
        procedure=procedure,
        delivery_method=delivery_method,
        postal_address=postal_address,
        # Paid to the postman: an applicant at the counter or by post may have no account to pay online with.
        postage_payment=PostagePayment.COD,
    )

    now = timezone.now()
    dossier = Dossier(
        client_token=client_token,
        procedure=procedure,
        agency=procedure.agency,
        channel=channel,
        status=DossierStatus.SUBMITTED,
        applicant_type=applicant_type,
        applicant_name=applicant_name,
        applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone,
        applicant_email=applicant_email,
        applicant_address=clean_text(applicant_address, max_length=255, label=_("Địa chỉ")),
        form_data=form_data,
        applicant_fields=spec,
        postal_tracking_number=clean_text(postal_tracking_number, max_length=40, label=_("Số hiệu bưu gửi")),
        submitted_at=now,
        **procedure_terms(procedure),
    )
    return _record_intake(
        dossier, delivery=delivery, components=components, officer=officer, note=note, after_receipt=after_receipt
    )


@atomic_with_files()
def _record_intake(dossier: Dossier, *, delivery, components, officer, note: str, after_receipt) -> Dossier:
    """Write the checked intake `dossier` (not saved yet) with its delivery and files, and receive it."""
    procedure, client_token = dossier.procedure, dossier.client_token
    try:
        # The code and the row in one savepoint: if a concurrent post of the same form has inserted
        # the token first, both are undone (no number of the day is lost, no address row left) and its dossier
        # is answered.
        with transaction.atomic():
            delivery_write(dossier, delivery)
            dossier.code = next_code(agency=procedure.agency, day=timezone.localdate(dossier.submitted_at))
            dossier.save()
    except IntegrityError:
        already = _same_intake(officer=officer, client_token=client_token)
        if already is None:
            raise
        return already
    store_files(
        dossier=dossier,
        files=[(component, upload) for component, files in components for upload in files],
        kind=DocumentKind.APPLICATION,
        user=officer,
    )
    record_event(
        dossier=dossier,
        action=Action.SUBMIT,
        user=officer,
        from_status=DossierStatus.DRAFT,
        to_status=DossierStatus.SUBMITTED,
        note=note.strip(),
    )
    dossier = dossier_receive(dossier=dossier, officer=officer, note=note)
    for attach in after_receipt:
        attach(dossier=dossier)
    return dossier
