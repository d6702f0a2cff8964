"""Counter and postal intake: a paper dossier digitised and received by a reception officer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.constants import ApplicantType, Role
from procedures.models import Procedure

from ..constants import (
    Action,
    Channel,
    DocumentKind,
    DossierStatus,
)
from ..models import Dossier, DossierEvent
from ..workflow import TransitionNotAllowed
from .core import next_code, procedure_terms, store_file, validate_delivery
from .office import dossier_receive


@transaction.atomic
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
    delivery_address: str = "",
    files_by_component: dict[int, list] | None = None,
    postal_tracking_number: str = "",
    note: str = "",
) -> Dossier:
    """A paper dossier brought to the counter or sent by post, digitised and received by an officer.
    The same `client_token` (one per intake form) always gives the same dossier."""
    already = Dossier.objects.filter(client_token=client_token).first()
    if already is not None:
        if already.agency_id != officer.agency_id:
            raise ValidationError(_("Phiên tiếp nhận không hợp lệ. Hãy tải lại trang."))
        return already
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise ValidationError(_("Hình thức nộp không hợp lệ."))
    if not applicant_name.strip():
        raise ValidationError(_("Hãy nhập họ tên người nộp."))
    if channel == Channel.POSTAL and not procedure.accepts_postal:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ qua bưu chính."))
    if channel == Channel.COUNTER and not procedure.accepts_counter:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tiếp."))
    if officer.agency_id != procedure.agency_id or not officer.has_role(Role.RECEPTION_OFFICER):
        raise TransitionNotAllowed(_("Bạn không có quyền tiếp nhận hồ sơ của thủ tục này."))
    validate_delivery(procedure, delivery_method, delivery_address)
    files_by_component = files_by_component or {}
    missing = [doc.name for doc in procedure.documents.all() if doc.is_required and not files_by_component.get(doc.pk)]
    if missing:
        raise ValidationError(_("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
    now = timezone.now()
    dossier = Dossier(
        client_token=client_token,
        procedure=procedure,
        agency=procedure.agency,
        channel=channel,
        status=DossierStatus.SUBMITTED,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_email=applicant_email.strip(),
        applicant_address=applicant_address.strip(),
        form_data=form_data or {},
        delivery_method=delivery_method,
        delivery_address=delivery_address.strip(),
        postal_tracking_number=postal_tracking_number.strip(),
        submitted_at=now,
        code=next_code(agency=procedure.agency, day=timezone.localdate(now)),
        **procedure_terms(procedure),
    )
    dossier.save()
    components = {doc.pk: doc for doc in procedure.documents.all()}
    for component_id, files in files_by_component.items():
        for uploaded in files:
            store_file(
                dossier=dossier,
                uploaded_file=uploaded,
                required_document=components[component_id],
                kind=DocumentKind.APPLICATION,
                user=officer,
            )
    DossierEvent.objects.create(
        dossier=dossier,
        action=Action.SUBMIT,
        actor=officer,
        from_status=DossierStatus.DRAFT,
        to_status=DossierStatus.SUBMITTED,
        note=note.strip(),
    )
    return dossier_receive(dossier=dossier, officer=officer, note=note)
