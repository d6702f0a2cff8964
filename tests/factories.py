"""factory_boy factories shared by every app's tests.

Officers: `UserFactory(reception_officer=True)` (or the helper functions below) puts the user in the
role's group and attaches an agency; `UserFactory(citizen=True)` gives a valid CCCD.
"""

import functools

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.vn import mst

from portal.constants import ApplicantType, Role
from portal.models import User
from procedures.constants import AgencyLevel, CalendarDayKind, CommuneKind, OnlineLevel, TimeUnit
from procedures.models import Agency, CalendarDay, Commune, Field, PostalAddress, Procedure, Province, RequiredDocument
from procedures.services import procedure_save

TEST_PASSWORD = "Mat-khau-thu-nghiem-2026"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "33"
    name = "Hưng Yên"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{80000 + n % 10000:05d}")
    name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    kind = CommuneKind.WARD


class PostalAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostalAddress

    commune = factory.SubFactory(CommuneFactory)
    street = "Số 12 đường Lê Lợi"
    receiver_name = "Nguyễn Văn An"
    receiver_phone = "0912345678"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    # 000.90.00.H56 … 000.99.99.H56: valid, and clear of the demo data's real codes.
    code = factory.Sequence(lambda n: f"000.{90 + n // 100 % 10}.{n % 100:02d}.H56")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")
    level = AgencyLevel.DEPARTMENT


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    """Saved through `procedure_save`, so `search_text` is filled as in the application."""

    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    field = factory.SubFactory(FieldFactory)
    agency = factory.SubFactory(AgencyFactory)
    online_level = OnlineLevel.PARTIAL
    processing_time = 5
    processing_time_unit = TimeUnit.WORKING_DAYS
    fee = 0

    class Params:
        full_online = factory.Trait(online_level=OnlineLevel.FULL, delivers_online=True)
        inactive = factory.Trait(is_active=False)
        featured = factory.Trait(is_featured=True)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return procedure_save(procedure=model_class(*args, **kwargs))


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    name = factory.Sequence(lambda n: f"Giấy tờ thử nghiệm số {n}")
    position = factory.Sequence(lambda n: n)


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    kind = CalendarDayKind.DAY_OFF


def citizen_id_for(n: int) -> str:
    """A valid CCCD: province 034 (Thái Bình), century digit 0 (1900s), born 1985, serial n."""
    return f"034085{n % 1_000_000:06d}"


def tax_code_for(n: int) -> str:
    """A valid 10-digit enterprise tax code (with its check digit), different for each n."""
    for prefix in range(1, 100):
        body = f"{prefix:02d}{1_000_000 + n % 9_000_000:07d}"
        check = mst.calc_check_digit(body)
        if len(check) == 1:
            return body + check
    raise AssertionError("unreachable")


def _officer(role: Role, **extra) -> factory.Trait:
    return factory.Trait(
        role=role, applicant_type=ApplicantType.STATE_AGENCY, agency=factory.SubFactory(AgencyFactory), **extra
    )


class UserFactory(factory.django.DjangoModelFactory):
    """A user in a role's group (the groups exist because a post_migrate handler creates them).

    UserFactory(citizen=True), UserFactory(enterprise=True), UserFactory(reception_officer=True),
    UserFactory(processing_officer=True), UserFactory(approver=True), UserFactory(agency_admin=True),
    UserFactory(superuser=True); officers get an agency unless one is given. Password: TEST_PASSWORD.
    """

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"nguoidung{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    password = factory.django.Password(TEST_PASSWORD)
    applicant_type = ApplicantType.CITIZEN
    role = None  # a portal.constants.Role: the group the user is put in (not a model field)

    class Params:
        citizen = factory.Trait(role=Role.CITIZEN, citizen_id=factory.Sequence(citizen_id_for))
        enterprise = factory.Trait(
            role=Role.CITIZEN,
            applicant_type=ApplicantType.ENTERPRISE,
            tax_code=factory.Sequence(tax_code_for),
            organization_name=factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}"),
        )
        reception_officer = _officer(Role.RECEPTION_OFFICER)
        processing_officer = _officer(Role.PROCESSING_OFFICER)
        approver = _officer(Role.APPROVER)
        agency_admin = _officer(Role.AGENCY_ADMIN, is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    @classmethod
    def _build(cls, model_class, *args, role=None, **kwargs):
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user


# --- dossiers ------------------------------------------------------------------------------------
# `DossierFactory` writes rows directly (fast, for lists and query counts); `dossier_in_status`
# drives the real services, so the dossier, its events and its clock are what a user would produce.


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.Dossier"

    procedure = factory.SubFactory(ProcedureFactory)
    agency = factory.SelfAttribute("procedure.agency")
    applicant = factory.SubFactory(UserFactory, citizen=True)
    applicant_name = factory.SelfAttribute("applicant.full_name")
    applicant_id_number = factory.LazyAttribute(lambda d: d.applicant.citizen_id or "")
    applicant_email = factory.SelfAttribute("applicant.email")
    applicant_phone = "0912345678"
    status = "submitted"
    code = factory.Sequence(lambda n: f"000.00.99.H56-261125-{n:04d}")
    submitted_at = factory.LazyFunction(timezone.now)
    processing_time = factory.SelfAttribute("procedure.processing_time")
    processing_time_unit = factory.SelfAttribute("procedure.processing_time_unit")


@functools.cache
def pdf_bytes(text: str = "Giay to") -> bytes:
    """A small real PDF of one page (readable by pyHanko, so a result made of it can be signed), about 1 KB: the
    core font, no font embedded."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    document.cell(text=text)
    return bytes(document.output())


def pdf_upload(name: str = "giay-to.pdf", text: str = "Giay to"):
    """A small real PDF (sniffed by content, so the name alone would not pass)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def dossier_in_status(status: str, *, procedure=None, applicant=None, officers=None):
    """A dossier brought to `status` through the services, as the people of the portal would.

    `officers` is a dict with reception/processing/approver users of the procedure's agency; they are
    created when missing. Returns (dossier, officers).
    """
    import uuid

    from dossiers import services
    from dossiers.constants import DossierStatus as S
    from dossiers.constants import Outcome

    procedure = procedure or ProcedureFactory()
    if not procedure.documents.exists():
        RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị", accepted_file_types=["pdf"])
    applicant = applicant or UserFactory(citizen=True)
    officers = dict(officers or {})
    for key, role in (
        ("reception", "reception_officer"),
        ("processing", "processing_officer"),
        ("approver", "approver"),
    ):
        if key not in officers:
            officers[key] = UserFactory(**{role: True}, agency=procedure.agency)

    dossier = services.dossier_start_draft(applicant=applicant, procedure=procedure, client_token=uuid.uuid4())
    if status == S.DRAFT:
        return dossier, officers
    for component in procedure.documents.filter(is_required=True):
        services.dossier_add_documents(
            dossier=dossier, applicant=applicant, required_document=component, files=[pdf_upload()]
        )
    dossier = services.dossier_submit(dossier=dossier, applicant=applicant)
    steps = [
        lambda d: services.dossier_receive(dossier=d, officer=officers["reception"]),
        lambda d: services.dossier_forward(dossier=d, officer=officers["reception"]),
        lambda d: services.dossier_propose(
            dossier=services.dossier_take(dossier=d, officer=officers["processing"]),
            officer=officers["processing"],
            outcome=Outcome.RESULT,
            result_file=pdf_upload("ket-qua.pdf"),
        ),
        lambda d: services.dossier_approve(dossier=d, approver=officers["approver"]),
        lambda d: services.dossier_deliver(dossier=d, officer=officers["reception"]),
    ]
    # A supplement is asked of a received dossier; every other status is a stop along the way.
    stop_at = S.RECEIVED if status == S.SUPPLEMENT_REQUESTED else status
    for step in steps:
        if dossier.status == stop_at:
            break
        dossier = step(dossier)
    if status == S.SUPPLEMENT_REQUESTED:
        dossier = services.dossier_request_supplement(
            dossier=dossier, officer=officers["reception"], items=["Bản sao CCCD"]
        )
    assert dossier.status == status, f"cannot build a dossier in status {status}"
    return dossier, officers


def send_by_post(dossier, *, postage_payment: str, postage: int = 20_000, commune=None):
    """`dossier` (refreshed) as the application page leaves it when its applicant chooses the post: a structured
    address (in `commune`), the carrier's `postage` and how it is paid (the page and the quote are tested in
    tests/postal/test_postal_application.py)."""
    from dossiers.constants import DeliveryMethod, PostagePayment, PostageStatus
    from dossiers.models import Dossier

    address = PostalAddressFactory(
        **({"commune": commune} if commune else {}),
        street="Số 12 đường Lý Bôn",
        receiver_name="Trần Thị Bình",
        receiver_phone="0987654321",
    )
    prepaid = postage_payment == PostagePayment.PREPAID
    Dossier.objects.filter(pk=dossier.pk).update(
        delivery_method=DeliveryMethod.POSTAL,
        postal_address=address,
        delivery_address=address.one_line,
        postage=postage,
        postage_payment=postage_payment,
        postage_status=PostageStatus.UNPAID if prepaid else PostageStatus.NONE,
    )
    dossier.refresh_from_db()
    return dossier
