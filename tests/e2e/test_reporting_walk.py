"""Statistics in a real browser: an agency leader opens its dashboard, filters a quarter, downloads the XLSX of the
results per procedure and the file opens (openpyxl) with the numbers the page shows; a citizen rates its returned
dossier on the dossier page."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dossiers.constants import DossierStatus as S
from dossiers.constants import Timeliness
from reporting import services
from reporting.constants import RatingLevel
from reporting.models import Rating
from tests.factories import ProcedureFactory, UserFactory
from tests.reporting.builders import at, dossier_row

pytestmark = pytest.mark.e2e


def test_a_leader_filters_a_quarter_and_downloads_the_same_numbers(new_page, tmp_path):
    procedure = ProcedureFactory(name="Cấp giấy phép xây dựng nhà ở riêng lẻ")
    leader = UserFactory(approver=True, agency=procedure.agency, full_name="Hoàng Lãnh Đạo")
    # The first quarter of 2025: three resolved (two in time, one late) and one still open; April does not count.
    dossier_row(procedure, received=at(1, 6), due=at(1, 13), finished=at(1, 9), timeliness=Timeliness.EARLY)
    dossier_row(procedure, received=at(2, 3), due=at(2, 10), finished=at(2, 10), timeliness=Timeliness.ON_TIME)
    dossier_row(procedure, received=at(3, 3), due=at(3, 5), finished=at(3, 7), timeliness=Timeliness.LATE)
    dossier_row(procedure, received=at(3, 24), due=at(4, 2))
    dossier_row(procedure, received=at(4, 7), due=at(4, 14), finished=at(4, 8), timeliness=Timeliness.EARLY)
    services.statistics_recompute_full()

    page = new_page(leader)
    page.goto("/thong-ke/co-quan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(procedure.agency.name)
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("quarter")
    page.get_by_label("Năm", exact=True).fill("2025")
    page.get_by_label("Quý", exact=True).select_option("1")
    page.get_by_role("button", name="Xem số liệu").click()

    expect(page.locator("#period-title")).to_have_text("Quý 1/2025")
    table = page.locator('[data-table="procedures"]')
    total_cells = table.locator("tfoot td").all_inner_texts()
    # received 4 (all online, none carried over); resolved 3: 1 early, 1 on time, 1 late, 66,67%; 1 in progress, due
    # after the quarter: within its deadline
    assert total_cells == ["4", "4", "0", "0", "3", "1", "1", "1", "66,67", "1", "1", "0"]
    with page.expect_download() as download:
        table.get_by_role("link", name="Excel (XLSX)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    assert download.value.suggested_filename == "thong-ke-procedures-2025-q1.xlsx"
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[-1] == ("Tổng cộng", 4, 4, 0, 0, 3, 1, 1, 1, 66.67, 1, 1, 0)
    assert [str(cell).replace(".", ",") for cell in rows[-1][1:]] == total_cells


def test_a_citizen_rates_a_returned_dossier(new_page):
    # Written as rows (the workflow's walk drives the services): the browser's event loop runs in this thread.
    dossier = dossier_row(
        ProcedureFactory(),
        received=at(3, 3),
        due=at(3, 10),
        finished=at(3, 6),
        timeliness=Timeliness.EARLY,
        status=S.RETURNED,
        returned_at=at(3, 7),
    )

    page = new_page(dossier.applicant, viewport={"width": 390, "height": 844})
    page.goto(f"/ho-so-cua-toi/{dossier.pk}/")
    panel = page.locator(".rating-panel")
    panel.get_by_label("Hài lòng", exact=True).check()
    panel.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    panel.get_by_role("button", name="Gửi đánh giá").click()

    expect(page.locator(".messages")).to_contain_text("Cảm ơn bạn đã đánh giá")
    expect(page.locator(".rating-panel")).to_contain_text("Bạn đã đánh giá việc giải quyết hồ sơ này")
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.level, rating.comment) == (RatingLevel.SATISFIED, "Cán bộ hướng dẫn tận tình.")
