"""The user guide ("Hướng dẫn sử dụng"): one page per task of a citizen and per officer role.

Each page is a template (templates/portal/guide/<slug>.html) that shows screenshots with
`{% guide_screenshot "name" %}`. `SCREENSHOTS` is the contract with the browser walk
(tests/e2e/test_guide_walk.py): the walk opens the real pages and saves every screenshot named here into
static/guide/<name>.png, and fails unless it produced all of them; a guide page may only show a name listed
here (tests/portal/test_guide.py), so the guide never shows a page that no longer exists. The PNGs are
committed, so the guide has its pictures without a test run; each run of the walk refreshes them in place
(docs/decisions.md "The user guide and its screenshots").
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Under the static files (STATICFILES_DIRS' static/): static/guide/<name>.png.
SCREENSHOT_STATIC_DIR = "guide"


class Audience:
    CITIZEN = "citizen"
    OFFICER = "officer"


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str | Promise
    audience: str
    summary: str | Promise

    @property
    def template_name(self) -> str:
        return f"portal/guide/{self.slug}.html"


PAGES = [
    GuidePage(
        "nop-ho-so",
        _("Tìm thủ tục và nộp hồ sơ trực tuyến"),
        Audience.CITIZEN,
        _("Tìm thủ tục, tải mẫu đơn, điền thông tin, đính kèm giấy tờ và nộp."),
    ),
    GuidePage(
        "bo-sung-ho-so",
        _("Bổ sung hồ sơ"),
        Audience.CITIZEN,
        _("Khi cơ quan yêu cầu bổ sung: xem nội dung cần bổ sung và gửi giấy tờ."),
    ),
    GuidePage(
        "nop-phi",
        _("Nộp phí, lệ phí"),
        Audience.CITIZEN,
        _("Thanh toán trực tuyến khi nộp hồ sơ hoặc khi cơ quan yêu cầu, nhận biên lai điện tử."),
    ),
    GuidePage(
        "theo-doi-ho-so",
        _("Theo dõi hồ sơ"),
        Audience.CITIZEN,
        _("Xem trạng thái, quá trình xử lý và thông báo; tra cứu hồ sơ không cần đăng nhập."),
    ),
    GuidePage(
        "nhan-ket-qua",
        _("Nhận kết quả"),
        Audience.CITIZEN,
        _("Nhận kết quả tại Bộ phận một cửa, qua bưu chính hoặc bản điện tử, và xác thực kết quả."),
    ),
    GuidePage(
        "tiep-nhan",
        _("Bộ phận một cửa: tiếp nhận hồ sơ"),
        Audience.OFFICER,
        _("Hàng đợi hồ sơ mới, tiếp nhận, yêu cầu bổ sung, từ chối, tiếp nhận trực tiếp tại quầy và trả kết quả."),
    ),
    GuidePage(
        "chuyen-vien",
        _("Chuyên viên: thẩm định, xử lý hồ sơ"),
        Audience.OFFICER,
        _("Nhận hồ sơ được chuyển đến, xử lý và trình kết quả lên lãnh đạo."),
    ),
    GuidePage(
        "lanh-dao",
        _("Lãnh đạo: phê duyệt kết quả"),
        Audience.OFFICER,
        _("Xem hồ sơ chờ phê duyệt, phê duyệt (ký số) hoặc trả lại, theo dõi thống kê của cơ quan."),
    ),
    GuidePage(
        "quan-tri-co-quan",
        _("Quản trị cơ quan: thủ tục và thành phần hồ sơ"),
        Audience.OFFICER,
        _("Sửa thông tin thủ tục, trường thông tin người nộp khai, thành phần hồ sơ và mẫu đơn."),
    ),
]
PAGES_BY_SLUG = {page.slug: page for page in PAGES}

# Every screenshot the guide may show, with its description (the image's text alternative).
SCREENSHOTS = {
    "cong-dan-danh-muc-thu-tuc": _("Danh mục thủ tục hành chính, tìm theo tên thủ tục"),
    "cong-dan-trang-thu-tuc": _("Trang thủ tục: thành phần hồ sơ, mẫu đơn và nút nộp hồ sơ trực tuyến"),
    "cong-dan-nop-ho-so": _("Đơn nộp hồ sơ trực tuyến: thông tin người nộp, giấy tờ đính kèm, cách nhận kết quả"),
    "cong-dan-ho-so-cua-toi": _("Danh sách “Hồ sơ của tôi” với trạng thái từng hồ sơ"),
    "cong-dan-bo-sung": _("Hồ sơ được yêu cầu bổ sung: nội dung cần bổ sung và mẫu gửi giấy tờ"),
    "cong-dan-nop-phi": _("Hồ sơ chờ nộp phí: số tiền và nút thanh toán trực tuyến"),
    "cong-dan-chi-tiet-ho-so": _("Trang hồ sơ: trạng thái, hạn giải quyết và quá trình xử lý"),
    "cong-dan-tra-cuu": _("Tra cứu hồ sơ bằng mã hồ sơ và 4 số cuối giấy tờ hoặc số điện thoại"),
    "cong-dan-nhan-ket-qua": _("Hồ sơ đã trả kết quả"),
    "cong-dan-xac-thuc-ket-qua": _("Xác thực kết quả điện tử"),
    "tiep-nhan-ban-lam-viec": _("Bàn làm việc của Bộ phận một cửa: các hàng đợi và hồ sơ mới"),
    "tiep-nhan-ho-so": _("Hồ sơ mới: giấy tờ đã nộp và các thao tác tiếp nhận"),
    "tiep-nhan-truc-tiep": _("Tiếp nhận hồ sơ trực tiếp tại quầy"),
    "chuyen-vien-ho-so": _("Chuyên viên xử lý hồ sơ và trình kết quả"),
    "lanh-dao-cho-phe-duyet": _("Hàng đợi hồ sơ chờ phê duyệt"),
    "lanh-dao-phe-duyet": _("Hồ sơ chờ phê duyệt: kết quả dự thảo, phê duyệt hoặc trả lại"),
    "quan-tri-danh-sach-thu-tuc": _("Danh sách thủ tục của cơ quan trong trang quản trị"),
    "quan-tri-truong-thong-tin": _("Sửa trường thông tin người nộp khai: thứ tự, loại, bắt buộc"),
}


def screenshot_static_path(name: str) -> str:
    return f"{SCREENSHOT_STATIC_DIR}/{name}.png"
