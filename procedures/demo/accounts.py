"""The demo accounts: one list for the loader and for the table `make run` prints."""

from dataclasses import dataclass

from portal.constants import Role

from .catalogue import PHUONG_TRAN_HUNG_DAO, SO_CONG_THUONG

DEMO_PASSWORD = "MotCua@2026"  # noqa: S105 - a published demo password, for demo databases only
DEMO_EMAIL_DOMAIN = "demo.dichvucong.vn"

OFFICER = "officer"
CITIZEN = "citizen"
ENTERPRISE = "enterprise"
SUPERUSER = "superuser"


@dataclass(frozen=True)
class DemoAccount:
    label: str  # the role, in Vietnamese, as the table prints it
    kind: str  # OFFICER, CITIZEN, ENTERPRISE or SUPERUSER
    email: str
    full_name: str
    phone: str = ""
    role: Role | None = None  # officers only
    agency_code: str = ""  # officers only
    citizen_id: str = ""  # citizens: the 12-digit CCCD they may sign in with
    tax_code: str = ""  # enterprises: the tax code they may sign in with
    organization_name: str = ""

    @property
    def identifier(self) -> str:
        return self.citizen_id or self.tax_code


def _officers(agency_code: str, agency_short: str, slug: str, names: tuple[str, str, str, str], phone: str):
    # Labels spelled out rather than Role.label: this table is built at import, outside any locale.
    roles = (
        (Role.RECEPTION_OFFICER, "tiepnhan", "Cán bộ tiếp nhận"),
        (Role.PROCESSING_OFFICER, "xuly", "Chuyên viên xử lý"),
        (Role.APPROVER, "lanhdao", "Lãnh đạo phê duyệt"),
        (Role.AGENCY_ADMIN, "quantri", "Quản trị cơ quan"),
    )
    return tuple(
        DemoAccount(
            label=f"{role_label} – {agency_short}",
            kind=OFFICER,
            email=f"{prefix}.{slug}@{DEMO_EMAIL_DOMAIN}",
            full_name=name,
            phone=f"{phone}{index}",
            role=role,
            agency_code=agency_code,
        )
        for index, ((role, prefix, role_label), name) in enumerate(zip(roles, names, strict=True), start=1)
    )


DEMO_ACCOUNTS = (
    *_officers(
        SO_CONG_THUONG,
        "Sở Công Thương",
        "sct",
        ("Nguyễn Thị Hoa", "Trần Văn Minh", "Phạm Quốc Hưng", "Vũ Thị Lan"),
        "022738314",
    ),
    *_officers(
        PHUONG_TRAN_HUNG_DAO,
        "Phường Trần Hưng Đạo",
        "tranhungdao",
        ("Đỗ Thị Thu", "Bùi Văn Nam", "Hoàng Minh Tuấn", "Ngô Thị Hằng"),
        "022738381",
    ),
    DemoAccount(
        label="Công dân",
        kind=CITIZEN,
        email=f"congdan@{DEMO_EMAIL_DOMAIN}",
        full_name="Nguyễn Văn An",
        phone="0912345678",
        # 034 = Thái Bình; 0 = male born in the 1900s; 90 = 1990.
        citizen_id="034090001234",
    ),
    DemoAccount(
        label="Doanh nghiệp",
        kind=ENTERPRISE,
        email=f"doanhnghiep@{DEMO_EMAIL_DOMAIN}",
        full_name="Lê Thị Mai",
        phone="0987654321",
        tax_code="1000123451",  # a valid 10-digit code (stdnum.vn.mst)
        organization_name="Công ty TNHH Dệt may Thái Bình",
    ),
    DemoAccount(
        label="Quản trị hệ thống",
        kind=SUPERUSER,
        email=f"admin@{DEMO_EMAIL_DOMAIN}",
        full_name="Quản trị hệ thống",
    ),
)
