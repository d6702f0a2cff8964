"""The user guide's screenshots, taken from the real pages by the people who use them.

Every name in `portal.guide.SCREENSHOTS` is one step below: the walk opens the page as that person (citizen, anonymous
visitor, reception officer, specialist, approver, agency administrator), checks that it is the page the guide
describes, and saves a 1280×800 PNG. The guide shows the pictures committed in static/guide/; a test run writes
into a temporary folder and leaves the checkout as it found it, and `make guide-screenshots` (GUIDE_SCREENSHOTS_DIR
set to static) refreshes the committed ones after a page changes. The walk fails when a step cannot be taken or a name
is left without a picture; then each guide page is opened in the browser and every picture
it shows must be one this run produced, and must load.
"""

import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from dossiers import services
from dossiers.constants import DossierStatus as S
from dossiers.constants import FeeTiming
from portal.guide import PAGES, SCREENSHOTS, screenshot_static_path
from procedures.demo.blank_forms import blank_form_file
from procedures.services import procedure_save
from tests.factories import AgencyFactory, ProcedureFactory, RequiredDocumentFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1280, "height": 800}
ANY_HEADING = re.compile(".")


@pytest.fixture
def screenshot_root(tmp_path):
    """Where the pictures go: the static folder when refreshing the committed ones, else the test's own folder."""
    return Path(os.environ.get("GUIDE_SCREENSHOTS_DIR") or tmp_path)


def save_screenshot(page, root: Path, name: str, *, focus: str | None = None) -> Path:
    """The window as it shows `name`'s page, scrolled to `focus` (a selector) when the part that matters is lower.

    Stored with a 256-colour palette: a screenshot of text and flat colours keeps its look at a fraction of the size.
    """
    assert name in SCREENSHOTS, f"{name} is not in portal.guide.SCREENSHOTS"
    if focus:
        target = page.locator(focus).first
        expect(target).to_be_visible()
        target.evaluate("element => { element.scrollIntoView({block: 'start'}); window.scrollBy(0, -160); }")
    path = root / screenshot_static_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(colors=256)
    palette.save(path, optimize=True)
    return path


def open_page(page, url: str, heading: str | re.Pattern = ANY_HEADING) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    if not isinstance(heading, re.Pattern):
        heading = re.compile(re.escape(str(heading)), re.IGNORECASE)
    expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)


APPLICANT_FIELDS = [
    {"name": "ten_cua_hang", "label": "Tên cửa hàng", "type": "text", "required": True},
    {"name": "dia_diem", "label": "Địa điểm kinh doanh", "type": "text", "required": True},
    {
        "name": "loai_hinh",
        "label": "Loại hình",
        "type": "choice",
        "required": False,
        "choices": ["Hộ kinh doanh", "Doanh nghiệp"],
    },
]


@pytest.fixture
def people_and_dossiers(transactional_db):
    # The dossiers are built through the services without answers: the fields become required after they are filed.
    # (names fixed, not the factories' numbered ones, so a refreshed picture differs only where the page does)
    agency = AgencyFactory(name="Sở Công Thương")
    procedure = ProcedureFactory(full_online=True, name="Cấp Giấy phép bán lẻ rượu", agency=agency)
    form_name = "Đơn đề nghị cấp Giấy phép bán lẻ rượu (Mẫu số 01)"
    RequiredDocumentFactory(
        procedure=procedure,
        position=1,
        name=form_name,
        accepted_file_types=["pdf"],
        template=blank_form_file(
            document_name=form_name, agency_name=procedure.agency.name, applicant_fields=APPLICANT_FIELDS
        ),
    )
    RequiredDocumentFactory(procedure=procedure, position=2, name="Bản sao Giấy chứng nhận đăng ký kinh doanh")
    paid_procedure = ProcedureFactory(
        agency=procedure.agency, name="Cấp Phiếu lý lịch tư pháp", fee=200_000, fee_timing=FeeTiming.AFTER_RECEPTION
    )
    citizen = UserFactory(citizen=True, full_name="Trần Thị Lan")
    officers = {
        "reception": UserFactory(reception_officer=True, agency=agency, full_name="Lê Văn Một Cửa"),
        "processing": UserFactory(processing_officer=True, agency=agency, full_name="Phạm Chuyên Viên"),
        "approver": UserFactory(approver=True, agency=agency, full_name="Hoàng Lãnh Đạo"),
    }
    agency_admin = UserFactory(agency_admin=True, agency=agency, full_name="Vũ Quản Trị")

    def dossier(status, on=procedure):
        return dossier_in_status(status, procedure=on, applicant=citizen, officers=officers)[0]

    awaiting_fee = services.dossier_request_payment(
        dossier=dossier(S.RECEIVED, on=paid_procedure), officer=officers["reception"], note="Nộp trong tuần"
    )
    dossiers = {
        "new": dossier(S.SUBMITTED),
        "supplement": dossier(S.SUPPLEMENT_REQUESTED),
        "awaiting_fee": awaiting_fee,
        "taken": services.dossier_take(dossier=dossier(S.PROCESSING), officer=officers["processing"]),
        "awaiting_approval": dossier(S.AWAITING_APPROVAL),
        "returned": dossier(S.RETURNED),
    }
    procedure.applicant_fields = APPLICANT_FIELDS
    procedure_save(procedure=procedure)
    return {
        "procedure": procedure,
        "citizen": citizen,
        "agency_admin": agency_admin,
        **officers,
        **dossiers,
    }


def test_the_guide_screenshots_are_taken_from_the_real_pages(new_page, people_and_dossiers, screenshot_root):
    data = people_and_dossiers
    procedure, citizen, returned = data["procedure"], data["citizen"], data["returned"]
    taken = set()

    def shoot(page, name, url=None, heading=ANY_HEADING, *, shows=None, focus=None):
        """Open `url` (unless the page is already there), check that `shows` (a locator) is visible, save `name`."""
        if url:
            open_page(page, url, heading)
        if shows is not None:
            expect(shows.first).to_be_visible()
        save_screenshot(page, screenshot_root, name, focus=focus)
        taken.add(name)

    # Anyone: the catalogue, a procedure's page with its blank form, the lookup, result verification.
    visitor = new_page(viewport=VIEWPORT)
    shoot(
        visitor,
        "cong-dan-danh-muc-thu-tuc",
        "/thu-tuc/?q=ban+le+ruou",
        "Thủ tục hành chính",
        shows=visitor.get_by_role("link", name=procedure.name),
    )
    shoot(
        visitor,
        "cong-dan-trang-thu-tuc",
        f"/thu-tuc/{procedure.code}/",
        procedure.name,
        shows=visitor.get_by_role("link", name=re.compile("Tải mẫu")),
    )
    open_page(visitor, "/tra-cuu/", "Tra cứu")
    visitor.get_by_role("textbox", name="Mã hồ sơ", exact=True).fill(returned.code)
    visitor.get_by_label("4 số cuối CCCD/mã số thuế hoặc số điện thoại").fill(citizen.citizen_id[-4:])
    visitor.get_by_role("button", name="Tra cứu", exact=True).click()
    shoot(visitor, "cong-dan-tra-cuu", shows=visitor.locator(".lookup-result", has_text=returned.code))
    shoot(visitor, "cong-dan-xac-thuc-ket-qua", "/xac-thuc-ket-qua/", "Xác thực")

    # The citizen: apply, its dossiers, a supplement asked, a fee asked, a dossier's history, a result.
    applicant = new_page(citizen, viewport=VIEWPORT)
    open_page(applicant, f"/nop-ho-so/{procedure.code}/", procedure.name)
    applicant.get_by_label("Tên cửa hàng").fill("Cửa hàng Hoa Sen")
    shoot(applicant, "cong-dan-nop-ho-so", focus="text=Tên cửa hàng")
    shoot(
        applicant,
        "cong-dan-ho-so-cua-toi",
        "/ho-so-cua-toi/",
        "Hồ sơ của tôi",
        shows=applicant.locator("main", has_text=data["supplement"].code),
    )
    shoot(
        applicant,
        "cong-dan-bo-sung",
        f"/ho-so-cua-toi/{data['supplement'].pk}/",
        procedure.name,
        focus="main :text('Bản sao CCCD')",
    )
    shoot(
        applicant,
        "cong-dan-nop-phi",
        f"/ho-so-cua-toi/{data['awaiting_fee'].pk}/",
        "Cấp Phiếu lý lịch tư pháp",
        focus="main :text('200.000')",
    )
    shoot(applicant, "cong-dan-chi-tiet-ho-so", f"/ho-so-cua-toi/{data['awaiting_approval'].pk}/", procedure.name)
    shoot(
        applicant,
        "cong-dan-nhan-ket-qua",
        f"/ho-so-cua-toi/{returned.pk}/",
        procedure.name,
        shows=applicant.locator(".dossier-page .facts .status", has_text="Đã trả kết quả"),
    )

    # Reception: the desk, a new dossier, the counter intake.
    reception = new_page(data["reception"], viewport=VIEWPORT)
    shoot(reception, "tiep-nhan-ban-lam-viec", "/can-bo/", shows=reception.locator("main", has_text=data["new"].code))
    shoot(
        reception,
        "tiep-nhan-ho-so",
        f"/can-bo/ho-so/{data['new'].pk}/",
        procedure.name,
        shows=reception.locator("form.action-form--receive"),
    )
    shoot(reception, "tiep-nhan-truc-tiep", "/can-bo/tiep-nhan/", "Tiếp nhận")

    # The specialist proposes; the approver approves.
    specialist = new_page(data["processing"], viewport=VIEWPORT)
    shoot(
        specialist,
        "chuyen-vien-ho-so",
        f"/can-bo/ho-so/{data['taken'].pk}/",
        procedure.name,
        shows=specialist.locator("form.action-form--propose"),
    )
    approver = new_page(data["approver"], viewport=VIEWPORT)
    shoot(
        approver,
        "lanh-dao-cho-phe-duyet",
        "/can-bo/hang-doi/awaiting_approval/",
        shows=approver.locator("main", has_text=data["awaiting_approval"].code),
    )
    shoot(
        approver,
        "lanh-dao-phe-duyet",
        f"/can-bo/ho-so/{data['awaiting_approval'].pk}/",
        procedure.name,
        shows=approver.locator("form.action-form--approve"),
    )

    # The agency administrator: its procedures, and the applicant fields as rows.
    admin = new_page(data["agency_admin"], viewport=VIEWPORT, next_url="/quan-tri/procedures/procedure/")
    shoot(admin, "quan-tri-danh-sach-thu-tuc", shows=admin.locator("#result_list", has_text=procedure.name))
    open_page(admin, f"/quan-tri/procedures/procedure/{procedure.pk}/change/")
    expect(admin.locator('input[name="applicant_fields-0-name"]')).to_have_value("ten_cua_hang")
    admin.locator("#toggle-nav-sidebar").click()  # the rows need the width the admin's menu takes
    shoot(admin, "quan-tri-truong-thong-tin", focus=".applicant-fields-editor")

    assert taken == set(SCREENSHOTS), f"not taken: {set(SCREENSHOTS) - taken}"

    # Each guide page shows only pictures this walk took, and each one loads.
    shown = set()
    for guide_page in [None, *PAGES]:
        url = f"/huong-dan/{guide_page.slug}/" if guide_page else "/huong-dan/"
        open_page(visitor, url, guide_page.title if guide_page else "Hướng dẫn sử dụng")
        for image in visitor.locator(".guide-shot img").all():
            image.scroll_into_view_if_needed()
            name = Path(image.get_attribute("src")).stem
            assert name in taken, f"{url} shows {name}, which the walk does not take"
            # Loaded once scrolled to (lazily, and on a busy machine not at once): wait for it, then check it.
            visitor.wait_for_function("img => img.complete", arg=image.element_handle(), timeout=10_000)
            assert image.evaluate("img => img.naturalWidth === 1280"), f"{url}: {name} did not load"
            shown.add(name)
    assert shown == taken
