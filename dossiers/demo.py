"""Demo dossiers for `make run`: a few applications of the demo citizen at the Department of Industry
and Trade, walked through the real services to different statuses, so each officer's queues have work."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from fpdf import FPDF

from portal.constants import Role
from portal.models import User
from procedures.addresses import postal_address_clean
from procedures.demo.accounts import CITIZEN, DEMO_ACCOUNTS
from procedures.demo.catalogue import SO_CONG_THUONG
from procedures.models import Agency, Commune, Procedure

from . import services
from .constants import DeliveryMethod, DossierStatus, Outcome, PostagePayment
from .locks import dossier_lock
from .models import Dossier
from .services.delivery import DeliveryChoice, delivery_write
from .signing.demo import DemoSigner, ensure_demo_certificates
from .signing.registry import result_signer

S = DossierStatus
# The status each demo dossier is brought to, in the order the officers' queues show them.
DEMO_STATUSES = [
    S.SUBMITTED,
    S.SUBMITTED,
    S.RECEIVED,
    S.SUPPLEMENT_REQUESTED,
    S.PROCESSING,
    S.AWAITING_APPROVAL,
    S.RESULT_READY,
    S.RETURNED,
]
# The demo's postal result: to Vũ Phúc ward (procedures/demo/communes.py), 20.000 đồng paid on delivery.
DEMO_POSTAL_COMMUNE = "90005"
DEMO_POSTAGE = 20_000
SAMPLE_VALUES = {
    "text": "Nội dung mẫu",
    "textarea": "Nội dung mẫu",
    "number": 1,
    "date": "2026-01-15",
    "email": "congdan@demo.dichvucong.vn",
    "phone": "0912345678",
    "citizen_id": "034090001234",
}


def _sample_pdf(title: str) -> SimpleUploadedFile:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    document.cell(text=title)
    return SimpleUploadedFile(f"{title}.pdf", bytes(document.output()), content_type="application/pdf")


def _sample_answers(procedure: Procedure) -> dict:
    return {
        field["name"]: field["choices"][0] if field["type"] == "choice" else SAMPLE_VALUES[field["type"]]
        for field in procedure.applicant_fields
    }


def _people() -> dict[str, User]:
    """The demo citizen and the Department of Industry and Trade's officers, by capacity."""
    wanted = {"citizen": next(a.email for a in DEMO_ACCOUNTS if a.kind == CITIZEN)}
    for key, role in (
        ("reception", Role.RECEPTION_OFFICER),
        ("processing", Role.PROCESSING_OFFICER),
        ("approver", Role.APPROVER),
    ):
        wanted[key] = next(a.email for a in DEMO_ACCOUNTS if a.role == role and a.agency_code == SO_CONG_THUONG)
    users = {user.email: user for user in User.objects.filter(email__in=wanted.values())}
    return {key: users[email] for key, email in wanted.items()}


def _walk(dossier: Dossier, target: str, people: dict[str, User]) -> None:
    reception, processing = people["reception"], people["processing"]
    if target == S.SUBMITTED:
        return
    dossier = services.dossier_receive(dossier=dossier, officer=reception)
    if target == S.SUPPLEMENT_REQUESTED:
        services.dossier_request_supplement(
            dossier=dossier,
            officer=reception,
            items=["Bản sao hợp đồng mua bán có chứng thực"],
            note="Hợp đồng nộp kèm là bản chụp, chưa chứng thực.",
        )
        return
    if target == S.RECEIVED:
        return
    dossier = services.dossier_forward(dossier=dossier, officer=reception)
    if target == S.PROCESSING:
        return
    dossier = services.dossier_take(dossier=dossier, officer=processing)
    dossier = services.dossier_propose(
        dossier=dossier, officer=processing, outcome=Outcome.RESULT, result_file=_sample_pdf("Ket qua")
    )
    if target == S.AWAITING_APPROVAL:
        return
    dossier = services.dossier_approve(dossier=dossier, approver=people["approver"])
    if target == S.RETURNED and dossier.status != S.RETURNED:  # an electronic result went back at approval
        services.dossier_deliver(dossier=dossier, officer=reception)


def _delivery_method(procedure: Procedure, target: str) -> str:
    """The result waiting at the desk is to be collected there: one delivered online is returned at approval."""
    if target == S.RESULT_READY and DeliveryMethod.COUNTER in procedure.delivery_methods:
        return DeliveryMethod.COUNTER
    return procedure.delivery_methods[0]


def load_demo_certificates() -> int:
    """With the demo signer (local settings): the demo root and a certificate for every agency, so that approving
    signs for real; how many certificates were made."""
    if not isinstance(result_signer(), DemoSigner):
        return 0
    return ensure_demo_certificates(Agency.objects.order_by("code"))


def load_demo_dossiers() -> int:
    """Create the demo dossiers once (nothing when the demo citizen already has dossiers); how many."""
    load_demo_certificates()
    people = _people()
    if Dossier.objects.filter(applicant=people["citizen"]).exists():
        return 0
    procedures = list(
        Procedure.objects.active()
        .filter(agency__code=SO_CONG_THUONG, accepts_online=True)
        .prefetch_related("documents")
        .order_by("code")
    )
    for position, target in enumerate(DEMO_STATUSES):
        procedure = procedures[position % len(procedures)]
        dossier = services.dossier_apply(
            applicant=people["citizen"],
            procedure=procedure,
            client_token=uuid.uuid4(),
            form_data=_sample_answers(procedure),
            applicant_phone="0912345678",
            applicant_address="Số 1 Lê Lợi, phường Trần Hưng Đạo",
            delivery_method=_delivery_method(procedure, target),
            files_by_component={
                component.pk: [_sample_pdf(f"Thanh phan {component.position}")]
                for component in procedure.documents.all()
                if component.is_required
            },
            submit=True,
        )
        _walk(dossier, target, people)
    _load_postal_dossier(procedures, people)
    return len(DEMO_STATUSES) + 1


def _load_postal_dossier(procedures: list[Procedure], people: dict[str, User]) -> None:
    """A result ready at reception, to go by post to a structured address, its postage paid on delivery: in `make
    run` reception hands it to the sandbox carrier from the officer page. The postage is the sandbox carrier's
    figure within the province (sandboxes/carrier/tariff.py): no carrier runs while the demo loads to be asked."""
    procedure = next(p for p in procedures if DeliveryMethod.POSTAL in p.delivery_methods)
    citizen = people["citizen"]
    dossier = services.dossier_apply(
        applicant=citizen,
        procedure=procedure,
        client_token=uuid.uuid4(),
        form_data=_sample_answers(procedure),
        applicant_phone="0912345678",
        applicant_address="Số 8 Lý Bôn, phường Vũ Phúc",
        delivery_method=DeliveryMethod.COUNTER,
        files_by_component={
            component.pk: [_sample_pdf(f"Thanh phan {component.position}")]
            for component in procedure.documents.all()
            if component.is_required
        },
        submit=False,
    )
    address = postal_address_clean(
        commune_id=Commune.objects.get(code=DEMO_POSTAL_COMMUNE).pk,
        street="Số 8 Lý Bôn",
        receiver_name=citizen.full_name,
        receiver_phone="0912345678",
    )
    choice = DeliveryChoice(
        method=DeliveryMethod.POSTAL, address=address, postage=DEMO_POSTAGE, postage_payment=PostagePayment.COD
    )
    with transaction.atomic():
        draft = dossier_lock(dossier.pk)
        draft.save(update_fields=delivery_write(draft, choice))
    _walk(services.dossier_submit(dossier=draft, applicant=citizen), S.RESULT_READY, people)
