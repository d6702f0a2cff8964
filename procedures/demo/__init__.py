"""Demo data for `make run`: a province's catalogue and one account per role.

The data is plain data in `catalogue` (agencies, fields, procedures) and `accounts` (the demo
logins). `load_demo()` (the `load_demo` command) writes it idempotently and `demo_accounts_table()`
(the `demo_accounts` command) prints the logins. Loading twice changes nothing: agencies, fields and
procedures are matched by code, required documents by (procedure, position), accounts by e-mail,
CCCD or tax code (an existing account is left as it is, password included). Every object is
validated with full_clean() before it is saved, so the demo also exercises the validators.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from portal.constants import ApplicantType
from portal.models import User
from portal.services import user_create_officer, user_register
from procedures.constants import FeeTiming, TimeUnit
from procedures.models import Agency, Commune, Field, Procedure, Province, RequiredDocument
from procedures.services import procedure_save

from .accounts import CITIZEN, DEMO_ACCOUNTS, DEMO_PASSWORD, ENTERPRISE, OFFICER, SUPERUSER, DemoAccount
from .blank_forms import blank_form_file, has_blank_form
from .catalogue import AGENCIES, CHANNELS, FIELDS, PROCEDURES
from .communes import AGENCY_COMMUNES, COMMUNES, DEMO_PROVINCE

__all__ = [
    "CITIZEN",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "ENTERPRISE",
    "OFFICER",
    "PROCEDURES",
    "SUPERUSER",
    "DemoAccount",
    "DemoSummary",
    "demo_accounts_table",
    "load_demo",
    "load_demo_catalogue",
    "load_demo_people",
]

# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

PROCEDURE_KEYS = (
    "name",
    "online_level",
    "processing_time",
    "processing_time_unit",
    "cutoff_time",
    "fee",
    "fee_notes",
    "fee_timing",
    "fee_refundable",
    "description",
    "applicant_requirements",
    "result_description",
    "legal_basis",
    "applicant_fields",
    "is_featured",
)
PROCEDURE_DEFAULTS = {
    "processing_time_unit": TimeUnit.WORKING_DAYS,
    "cutoff_time": None,
    "fee_notes": "",
    "fee_timing": FeeTiming.AFTER_RECEPTION,
    "fee_refundable": False,
    "applicant_requirements": "",
    "result_description": "",
    "legal_basis": "",
    "applicant_fields": [],
    "is_featured": False,
}


@dataclass
class DemoSummary:
    agencies: int = 0
    fields: int = 0
    procedures: int = 0
    documents: int = 0
    accounts_created: int = 0
    accounts_existing: int = 0

    def __str__(self) -> str:
        return (
            f"Dữ liệu mẫu: {self.agencies} cơ quan, {self.fields} lĩnh vực, {self.procedures} thủ tục, "
            f"{self.documents} thành phần hồ sơ; tài khoản mẫu: {self.accounts_created} mới tạo, "
            f"{self.accounts_existing} đã có."
        )


def _save_validated(instance, **attributes):
    """Set the attributes, validate like a form would, save."""
    for name, value in attributes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def _load_communes() -> dict[str, Commune]:
    code, name = DEMO_PROVINCE
    province = _save_validated(Province.objects.filter(code=code).first() or Province(code=code), name=name)
    return {
        code: _save_validated(
            Commune.objects.filter(code=code).first() or Commune(code=code, province=province),
            name=name,
            kind=kind,
        )
        for code, name, kind in COMMUNES
    }


def _load_agencies(communes: dict[str, Commune]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for code, name, level, parent_code, address, phone, email in AGENCIES:
        agency = Agency.objects.filter(code=code).first() or Agency(code=code)
        agencies[code] = _save_validated(
            agency,
            name=name,
            level=level,
            parent=agencies[parent_code] if parent_code else None,
            address=address,
            phone=phone,
            email=email,
            commune=communes[AGENCY_COMMUNES[code]],
            is_active=True,
        )
    return agencies


def _load_fields() -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for code, name in FIELDS:
        field = Field.objects.filter(code=code).first() or Field(code=code)
        fields[code] = _save_validated(field, name=name)
    return fields


def _load_documents(procedure: Procedure, documents: list[dict]) -> int:
    """Make the procedure's documents exactly the demo list (matched by position), each form with its blank form."""
    existing = {document.position: document for document in procedure.documents.all()}
    for position, data in enumerate(documents, start=1):
        document = existing.pop(position, None) or RequiredDocument(procedure=procedure, position=position)
        if not document.template and has_blank_form(data["name"]):
            document.template = blank_form_file(
                document_name=data["name"],
                agency_name=procedure.agency.name,
                applicant_fields=procedure.applicant_fields,
            )
        _save_validated(document, description="", **data)
    for extra in existing.values():
        extra.delete()
    return len(documents)


def _load_procedure(data: dict, agencies: dict[str, Agency], fields: dict[str, Field]) -> tuple[Procedure, int]:
    values = {**PROCEDURE_DEFAULTS, **{key: data[key] for key in PROCEDURE_KEYS if key in data}}
    channels = {**CHANNELS[data["online_level"]], **data.get("channels", {})}
    procedure = Procedure.objects.filter(code=data["code"]).first() or Procedure(code=data["code"])
    for name, value in {**values, **channels}.items():
        setattr(procedure, name, value)
    procedure.field = fields[data["field"]]
    procedure.agency = agencies[data["agency"]]
    procedure.is_active = True
    procedure.full_clean(exclude=["search_text"])  # procedure_save fills it
    procedure_save(procedure=procedure)
    return procedure, _load_documents(procedure, data["documents"])


@transaction.atomic
def load_demo_catalogue() -> DemoSummary:
    """Create or update the demo communes, agencies, fields, procedures and their required documents."""
    agencies = _load_agencies(_load_communes())
    fields = _load_fields()
    summary = DemoSummary(agencies=len(agencies), fields=len(fields))
    for data in PROCEDURES:
        _procedure, documents = _load_procedure(data, agencies, fields)
        summary.procedures += 1
        summary.documents += documents
    return summary


def _account_exists(account: DemoAccount) -> bool:
    taken = Q(email__iexact=account.email)
    if account.citizen_id:
        taken |= Q(citizen_id=account.citizen_id)
    if account.tax_code:
        taken |= Q(tax_code=account.tax_code)
    return User.objects.filter(taken).exists()


def _create_account(account: DemoAccount) -> None:
    if account.kind == OFFICER:
        user_create_officer(
            email=account.email,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            agency=Agency.objects.get(code=account.agency_code),
            role=account.role,
            phone=account.phone,
        )
    elif account.kind in (CITIZEN, ENTERPRISE):
        user_register(
            email=account.email,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            phone=account.phone,
            applicant_type=ApplicantType.ENTERPRISE if account.kind == ENTERPRISE else ApplicantType.CITIZEN,
            citizen_id=account.citizen_id or None,
            tax_code=account.tax_code or None,
            organization_name=account.organization_name,
        )
    elif account.kind == SUPERUSER:
        User.objects.create_superuser(account.email, DEMO_PASSWORD, full_name=account.full_name)
    else:
        raise ValueError(f"Unknown demo account kind: {account.kind}")


@transaction.atomic
def load_demo_people() -> tuple[int, int]:
    """Create the demo accounts that do not exist yet; (created, already there)."""
    created = existing = 0
    for account in DEMO_ACCOUNTS:
        if _account_exists(account):
            existing += 1
            continue
        _create_account(account)
        created += 1
    return created, existing


@transaction.atomic
def load_demo() -> DemoSummary:
    """The whole demo: catalogue, then people (officers need their agencies)."""
    summary = load_demo_catalogue()
    summary.accounts_created, summary.accounts_existing = load_demo_people()
    return summary


def demo_accounts_table() -> str:
    """The demo logins as a plain-text table, for the console."""
    header = ("Vai trò", "Đăng nhập (thư điện tử)", "CCCD / Mã số thuế", "Mật khẩu")
    rows = [(account.label, account.email, account.identifier or "–", DEMO_PASSWORD) for account in DEMO_ACCOUNTS]
    widths = [max(len(row[column]) for row in (header, *rows)) for column in range(len(header))]

    def line(cells):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    title = "Tài khoản mẫu (đăng nhập bằng thư điện tử; công dân, doanh nghiệp cũng dùng được CCCD, mã số thuế):"
    return "\n".join([title, line(header), rule, *(line(row) for row in rows)])
