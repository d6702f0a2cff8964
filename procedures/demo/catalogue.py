"""The demo catalogue as plain data: agencies, fields of procedures, procedures and their documents.

Loaded by `procedures.demo.load_demo_catalogue()`. Codes, fees and legal bases are modelled on the
national catalogue as provinces publish it; they are demo data, not a legal reference.
"""

from datetime import time

from procedures.constants import AgencyLevel, FeeTiming, OnlineLevel, TimeUnit

# ---------------------------------------------------------------------------------------------
# Agencies: the province, its departments and a few communes (two-tier local government since
# 1 July 2025). Codes follow the electronic agency code of the province (H56).
# ---------------------------------------------------------------------------------------------

PROVINCE = "000.00.00.H56"
SO_CONG_THUONG = "000.00.25.H56"
SO_TU_PHAP = "000.00.14.H56"
SO_XAY_DUNG = "000.00.16.H56"
SO_NONG_NGHIEP_MOI_TRUONG = "000.00.12.H56"
SO_TAI_CHINH = "000.00.11.H56"
SO_Y_TE = "000.00.21.H56"
SO_GIAO_DUC = "000.00.22.H56"
CONG_AN_TINH = "000.00.31.H56"
PHUONG_TRAN_HUNG_DAO = "000.27.30.H56"
PHUONG_KY_BA = "000.27.31.H56"
XA_THAI_THUY = "000.35.40.H56"
XA_VU_THU = "000.37.45.H56"

# (code, name, level, parent code, address, phone, e-mail); parents come before their children.
AGENCIES = (
    (
        PROVINCE,
        "Ủy ban nhân dân tỉnh Thái Bình",
        AgencyLevel.PROVINCE,
        None,
        "Số 76 Lê Lợi, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 409",
        "ubnd@demo.dichvucong.vn",
    ),
    (
        SO_CONG_THUONG,
        "Sở Công Thương",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 16 Lê Lợi, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 463",
        "sct@demo.dichvucong.vn",
    ),
    (
        SO_TU_PHAP,
        "Sở Tư pháp",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 22 Lý Thường Kiệt, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 520",
        "stp@demo.dichvucong.vn",
    ),
    (
        SO_XAY_DUNG,
        "Sở Xây dựng",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 6 Trần Thủ Độ, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 754",
        "sxd@demo.dichvucong.vn",
    ),
    (
        SO_NONG_NGHIEP_MOI_TRUONG,
        "Sở Nông nghiệp và Môi trường",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 11 Hai Bà Trưng, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 633",
        "snnmt@demo.dichvucong.vn",
    ),
    (
        SO_TAI_CHINH,
        "Sở Tài chính",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 3 Lý Bôn, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 488",
        "stc@demo.dichvucong.vn",
    ),
    (
        SO_Y_TE,
        "Sở Y tế",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 239 Hai Bà Trưng, phường Kỳ Bá, tỉnh Thái Bình",
        "0227 3831 622",
        "syt@demo.dichvucong.vn",
    ),
    (
        SO_GIAO_DUC,
        "Sở Giáo dục và Đào tạo",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 8 Lý Thường Kiệt, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3831 804",
        "sgddt@demo.dichvucong.vn",
    ),
    (
        CONG_AN_TINH,
        "Công an tỉnh Thái Bình",
        AgencyLevel.DEPARTMENT,
        PROVINCE,
        "Số 1 Trần Hưng Đạo, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3870 300",
        "congan@demo.dichvucong.vn",
    ),
    (
        PHUONG_TRAN_HUNG_DAO,
        "UBND phường Trần Hưng Đạo",
        AgencyLevel.COMMUNE,
        PROVINCE,
        "Số 2 Hai Bà Trưng, phường Trần Hưng Đạo, tỉnh Thái Bình",
        "0227 3838 118",
        "tranhungdao@demo.dichvucong.vn",
    ),
    (
        PHUONG_KY_BA,
        "UBND phường Kỳ Bá",
        AgencyLevel.COMMUNE,
        PROVINCE,
        "Số 45 Kỳ Đồng, phường Kỳ Bá, tỉnh Thái Bình",
        "0227 3838 245",
        "kyba@demo.dichvucong.vn",
    ),
    (
        XA_THAI_THUY,
        "UBND xã Thái Thụy",
        AgencyLevel.COMMUNE,
        PROVINCE,
        "Thôn Đông Hồ, xã Thái Thụy, tỉnh Thái Bình",
        "0227 3853 102",
        "thaithuy@demo.dichvucong.vn",
    ),
    (
        XA_VU_THU,
        "UBND xã Vũ Thư",
        AgencyLevel.COMMUNE,
        PROVINCE,
        "Khu Trung tâm hành chính, xã Vũ Thư, tỉnh Thái Bình",
        "0227 3826 011",
        "vuthu@demo.dichvucong.vn",
    ),
)

# (code, name): fields of administrative procedures ("lĩnh vực").
FIELDS = (
    ("xuat-nhap-khau", "Xuất nhập khẩu"),
    ("thuong-mai-quoc-te", "Thương mại quốc tế"),
    ("luu-thong-hang-hoa", "Lưu thông hàng hóa trong nước"),
    ("xuc-tien-thuong-mai", "Xúc tiến thương mại"),
    ("an-toan-thuc-pham", "An toàn thực phẩm"),
    ("ho-tich", "Hộ tịch"),
    ("chung-thuc", "Chứng thực"),
    ("ly-lich-tu-phap", "Lý lịch tư pháp"),
    ("cong-chung", "Công chứng"),
    ("kinh-doanh", "Thành lập và hoạt động của doanh nghiệp, hộ kinh doanh"),
    ("dau-tu", "Đầu tư tại Việt Nam"),
    ("xay-dung", "Hoạt động xây dựng"),
    ("dat-dai", "Đất đai"),
    ("moi-truong", "Môi trường"),
    ("y-te", "Khám bệnh, chữa bệnh"),
    ("duoc-pham", "Dược phẩm"),
    ("giao-duc", "Giáo dục và Đào tạo"),
    ("giay-phep-lai-xe", "Giấy phép lái xe"),
)

# ---------------------------------------------------------------------------------------------
# Applicant data forms (see procedures.models.validate_applicant_fields) and document formats.
# ---------------------------------------------------------------------------------------------

PDF_OR_IMAGE = ["pdf", "jpg", "png"]
PDF_ONLY = ["pdf"]
OFFICE = ["pdf", "docx", "xlsx"]


def _field(name, label, kind="text", *, required=True, choices=None):
    item = {"name": name, "label": label, "type": kind, "required": required}
    if choices is not None:
        item["choices"] = choices
    return item


PERSON_FIELDS = [
    _field("ho_ten", "Họ và tên người yêu cầu"),
    _field("so_cccd", "Số CCCD của người yêu cầu", "citizen_id"),
    _field("dien_thoai", "Số điện thoại liên hệ", "phone"),
]
ENTERPRISE_FIELDS = [
    _field("ten_doanh_nghiep", "Tên doanh nghiệp"),
    _field("ma_so_doanh_nghiep", "Mã số doanh nghiệp"),
    _field("nguoi_dai_dien", "Người đại diện theo pháp luật"),
    _field("dien_thoai", "Số điện thoại liên hệ", "phone"),
    _field("email", "Thư điện tử nhận thông báo", "email", required=False),
]


def _doc(name, *, required=True, originals=1, copies=0, types=PDF_OR_IMAGE):
    """One component of a dossier; its position is its place in the procedure's list."""
    return {
        "name": name,
        "is_required": required,
        "original_copies": originals,
        "copy_copies": copies,
        "accepted_file_types": types,
    }


def _steps(*steps):
    return "\n".join(f"Bước {number}: {step}" for number, step in enumerate(steps, start=1))


# Submission and delivery channels by online level, consistent with Procedure.clean(); a procedure
# may override any of them.
CHANNELS = {
    OnlineLevel.FULL: {
        "accepts_online": True,
        "accepts_counter": True,
        "accepts_postal": True,
        "delivers_at_counter": True,
        "delivers_online": True,
        "delivers_by_post": True,
    },
    OnlineLevel.PARTIAL: {
        "accepts_online": True,
        "accepts_counter": True,
        "accepts_postal": True,
        "delivers_at_counter": True,
        "delivers_online": False,
        "delivers_by_post": True,
    },
    OnlineLevel.NOT_ONLINE: {
        "accepts_online": False,
        "accepts_counter": True,
        "accepts_postal": False,
        "delivers_at_counter": True,
        "delivers_online": False,
        "delivers_by_post": False,
    },
}

# ---------------------------------------------------------------------------------------------
# Procedures. Keys are Procedure fields, plus "field"/"agency" (codes), "documents" and an optional
# "channels" dict that overrides CHANNELS for the procedure's online level.
# ---------------------------------------------------------------------------------------------

PROCEDURES = (
    # --- Sở Công Thương --------------------------------------------------------------------------
    {
        "code": "2.000041",
        "name": "Cấp Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi",
        "field": "xuat-nhap-khau",
        "agency": SO_CONG_THUONG,
        "online_level": OnlineLevel.FULL,
        "processing_time": 6,
        "processing_time_unit": TimeUnit.WORKING_HOURS,
        "fee": 0,
        "fee_notes": "Không thu phí, lệ phí.",
        "description": _steps(
            "Thương nhân đăng ký hồ sơ thương nhân lần đầu và khai báo C/O trên Hệ thống eCoSys.",
            "Nộp hồ sơ đề nghị cấp C/O trực tuyến kèm bản sao điện tử các chứng từ.",
            "Sở Công Thương kiểm tra hồ sơ; yêu cầu bổ sung hoặc kiểm tra tại cơ sở sản xuất nếu cần.",
            "Cấp C/O và trả kết quả trực tuyến hoặc tại Bộ phận một cửa.",
        ),
        "applicant_requirements": "Thương nhân xuất khẩu hàng hóa sang nước, vùng lãnh thổ có hiệp định "
        "thương mại tự do với Việt Nam, đã đăng ký hồ sơ thương nhân với cơ quan cấp C/O.",
        "result_description": "Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi theo mẫu của hiệp định.",
        "legal_basis": "Luật Quản lý ngoại thương 2017;\n"
        "Nghị định 31/2018/NĐ-CP quy định chi tiết Luật Quản lý ngoại thương về xuất xứ hàng hóa;\n"
        "Thông tư 05/2018/TT-BCT quy định về xuất xứ hàng hóa.",
        "applicant_fields": [
            *ENTERPRISE_FIELDS,
            _field(
                "mau_co",
                "Mẫu C/O đề nghị cấp",
                "choice",
                choices=["Mẫu D (ATIGA)", "Mẫu E (ACFTA)", "Mẫu AK (AKFTA)", "Mẫu EUR.1 (EVFTA)", "Mẫu CPTPP"],
            ),
            _field("nuoc_nhap_khau", "Nước nhập khẩu"),
            _field("so_to_khai", "Số tờ khai hải quan xuất khẩu", required=False),
        ],
        "is_featured": True,
        "documents": [
            _doc("Đơn đề nghị cấp C/O (Mẫu số 04, Phụ lục Thông tư 05/2018/TT-BCT)", types=PDF_ONLY),
            _doc("Mẫu C/O tương ứng đã được khai hoàn chỉnh", types=PDF_ONLY),
            _doc("Bản in tờ khai hải quan xuất khẩu", originals=0, copies=1),
            _doc("Bản sao hóa đơn thương mại", originals=0, copies=1),
            _doc("Bản tính toán hàm lượng giá trị khu vực hoặc bảng kê nguyên liệu", required=False, types=OFFICE),
        ],
    },
    {
        "code": "2.000620",
        "name": "Cấp Giấy phép bán buôn rượu trên địa bàn tỉnh",
        "field": "luu-thong-hang-hoa",
        "agency": SO_CONG_THUONG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 15,
        "fee": 2_200_000,
        "fee_notes": "Phí thẩm định: 2.200.000 đồng/giấy phép tại khu vực thành phố, thị xã; "
        "1.100.000 đồng/giấy phép tại khu vực khác (Thông tư 168/2016/TT-BTC).",
        "description": _steps(
            "Thương nhân nộp hồ sơ trực tuyến, qua bưu chính hoặc tại Bộ phận một cửa.",
            "Trong 3 ngày làm việc, Sở Công Thương thông báo nếu hồ sơ chưa đầy đủ.",
            "Thẩm định hồ sơ, kiểm tra thực tế (nếu cần) và cấp giấy phép.",
        ),
        "applicant_requirements": "Doanh nghiệp có đăng ký ngành nghề bán buôn đồ uống có cồn, có kho "
        "hàng và hệ thống bán buôn trên địa bàn tỉnh theo Nghị định 105/2017/NĐ-CP.",
        "result_description": "Giấy phép bán buôn rượu (thời hạn 5 năm).",
        "legal_basis": "Nghị định 105/2017/NĐ-CP về kinh doanh rượu;\n"
        "Nghị định 17/2020/NĐ-CP sửa đổi, bổ sung các nghị định lĩnh vực công thương;\n"
        "Thông tư 168/2016/TT-BTC về phí thẩm định kinh doanh hàng hóa có điều kiện.",
        "applicant_fields": [*ENTERPRISE_FIELDS, _field("dia_chi_kho", "Địa chỉ kho hàng")],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy phép bán buôn rượu (Mẫu số 01)", types=PDF_ONLY),
            _doc("Bản sao Giấy chứng nhận đăng ký doanh nghiệp", originals=0, copies=1),
            _doc("Hợp đồng nguyên tắc với thương nhân sản xuất, phân phối rượu", originals=0, copies=1),
            _doc("Tài liệu chứng minh quyền sử dụng kho hàng", originals=0, copies=1),
        ],
    },
    {
        "code": "2.000645",
        "name": "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
        "field": "luu-thong-hang-hoa",
        "agency": SO_CONG_THUONG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 15,
        "fee": 1_200_000,
        "fee_notes": "Phí thẩm định: 1.200.000 đồng/điểm kinh doanh tại thành phố; 600.000 đồng tại khu vực khác.",
        "description": _steps(
            "Thương nhân nộp hồ sơ đề nghị cấp Giấy chứng nhận.",
            "Sở Công Thương thẩm định hồ sơ và kiểm tra thực tế cửa hàng.",
            "Cấp Giấy chứng nhận hoặc trả lời bằng văn bản nêu rõ lý do.",
        ),
        "applicant_requirements": "Thương nhân là tổng đại lý, đại lý hoặc thương nhân nhận quyền bán lẻ "
        "xăng dầu; cửa hàng đáp ứng quy chuẩn kỹ thuật về cửa hàng xăng dầu.",
        "result_description": "Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu (thời hạn 5 năm).",
        "legal_basis": "Nghị định 83/2014/NĐ-CP về kinh doanh xăng dầu;\n"
        "Nghị định 80/2023/NĐ-CP sửa đổi, bổ sung Nghị định 83/2014/NĐ-CP.",
        "applicant_fields": [*ENTERPRISE_FIELDS, _field("dia_chi_cua_hang", "Địa chỉ cửa hàng xăng dầu")],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", types=PDF_ONLY),
            _doc("Bản sao Giấy chứng nhận đăng ký doanh nghiệp", originals=0, copies=1),
            _doc("Bản sao văn bản nghiệm thu phòng cháy chữa cháy của cửa hàng", originals=0, copies=1),
            _doc("Bản sao quyết định phê duyệt báo cáo đánh giá tác động môi trường", originals=0, copies=1),
        ],
    },
    {
        "code": "2.000131",
        "name": "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi trên địa bàn 01 tỉnh",
        "field": "xuc-tien-thuong-mai",
        "agency": SO_CONG_THUONG,
        "online_level": OnlineLevel.FULL,
        "processing_time": 5,
        "fee": 0,
        "fee_notes": "Không thu phí.",
        "description": _steps(
            "Thương nhân nộp hồ sơ đăng ký trực tuyến.",
            "Sở Công Thương xem xét và xác nhận đăng ký thực hiện khuyến mại.",
            "Trả văn bản xác nhận trực tuyến.",
        ),
        "applicant_requirements": "Thương nhân thực hiện chương trình khuyến mại mang tính may rủi có tổng "
        "giá trị giải thưởng dưới 100 triệu đồng, trong phạm vi một tỉnh.",
        "result_description": "Văn bản xác nhận đăng ký thực hiện khuyến mại.",
        "legal_basis": "Luật Thương mại 2005;\nNghị định 81/2018/NĐ-CP quy định chi tiết Luật Thương mại "
        "về hoạt động xúc tiến thương mại.",
        "applicant_fields": [
            *ENTERPRISE_FIELDS,
            _field("ten_chuong_trinh", "Tên chương trình khuyến mại"),
            _field("tu_ngay", "Thời gian bắt đầu", "date"),
            _field("den_ngay", "Thời gian kết thúc", "date"),
            _field("tong_gia_tri", "Tổng giá trị giải thưởng (đồng)", "number"),
        ],
        "channels": {"accepts_postal": False, "delivers_at_counter": False, "delivers_by_post": False},
        "documents": [
            _doc("Đơn đăng ký thực hiện khuyến mại (Mẫu số 01)", types=PDF_ONLY),
            _doc("Thể lệ chương trình khuyến mại (Mẫu số 02)", types=["pdf", "docx"]),
            _doc("Mẫu vé số dự thưởng hoặc hình ảnh hàng hóa khuyến mại", required=False),
        ],
    },
    {
        "code": "2.000591",
        "name": "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm do Sở Công Thương thực hiện",
        "field": "an-toan-thuc-pham",
        "agency": SO_CONG_THUONG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 20,
        "fee": 2_500_000,
        "fee_notes": "Phí thẩm định cơ sở sản xuất: 2.500.000 đồng/lần; cơ sở kinh doanh: 1.000.000 đồng/lần "
        "(Thông tư 67/2021/TT-BTC).",
        "description": _steps(
            "Cơ sở nộp hồ sơ đề nghị cấp Giấy chứng nhận.",
            "Sở Công Thương thẩm định hồ sơ; thành lập đoàn thẩm định thực tế tại cơ sở.",
            "Cấp Giấy chứng nhận nếu cơ sở đạt yêu cầu.",
        ),
        "applicant_requirements": "Cơ sở sản xuất, kinh doanh thực phẩm thuộc phạm vi quản lý của ngành "
        "Công Thương (rượu, bia, nước giải khát, sữa chế biến, dầu thực vật, bánh kẹo...).",
        "result_description": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thời hạn 3 năm).",
        "legal_basis": "Luật An toàn thực phẩm 2010;\nNghị định 15/2018/NĐ-CP;\n"
        "Thông tư 43/2018/TT-BCT về quản lý an toàn thực phẩm thuộc trách nhiệm của Bộ Công Thương.",
        "applicant_fields": [
            *ENTERPRISE_FIELDS,
            _field("loai_co_so", "Loại cơ sở", "choice", choices=["Sản xuất", "Kinh doanh", "Sản xuất và kinh doanh"]),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy chứng nhận (Mẫu số 01, Phụ lục Thông tư 43/2018/TT-BCT)", types=PDF_ONLY),
            _doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ", types=["pdf", "docx"]),
            _doc("Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất", originals=0, copies=1),
            _doc("Giấy xác nhận đã được tập huấn kiến thức an toàn thực phẩm", originals=0, copies=1),
        ],
    },
    {
        "code": "2.000199",
        "name": "Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài tại Việt Nam",
        "field": "thuong-mai-quoc-te",
        "agency": SO_CONG_THUONG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 7,
        "fee": 3_000_000,
        "fee_notes": "Lệ phí cấp giấy phép: 3.000.000 đồng/giấy phép (Thông tư 143/2016/TT-BTC).",
        "description": _steps(
            "Thương nhân nước ngoài nộp hồ sơ qua mạng, bưu chính hoặc trực tiếp.",
            "Sở Công Thương kiểm tra, yêu cầu bổ sung trong 3 ngày làm việc nếu hồ sơ chưa đầy đủ.",
            "Cấp hoặc từ chối cấp Giấy phép; trường hợp cần lấy ý kiến bộ, ngành thì gia hạn theo quy định.",
        ),
        "applicant_requirements": "Thương nhân nước ngoài được thành lập, đăng ký kinh doanh hợp pháp và "
        "đã hoạt động ít nhất 01 năm.",
        "result_description": "Giấy phép thành lập Văn phòng đại diện.",
        "legal_basis": "Luật Thương mại 2005;\nNghị định 07/2016/NĐ-CP về Văn phòng đại diện, Chi nhánh của "
        "thương nhân nước ngoài tại Việt Nam;\nThông tư 143/2016/TT-BTC.",
        "applicant_fields": [
            _field("ten_thuong_nhan", "Tên thương nhân nước ngoài"),
            _field("quoc_tich", "Quốc gia nơi thành lập"),
            _field("truong_van_phong", "Người đứng đầu Văn phòng đại diện"),
            _field("dien_thoai", "Số điện thoại liên hệ", "phone"),
            _field("email", "Thư điện tử", "email"),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy phép thành lập Văn phòng đại diện (Mẫu MĐ-1)", types=PDF_ONLY),
            _doc("Bản sao giấy đăng ký kinh doanh của thương nhân nước ngoài (hợp pháp hóa lãnh sự)", copies=1),
            _doc("Báo cáo tài chính có kiểm toán năm gần nhất", originals=0, copies=1),
            _doc("Bản sao hộ chiếu của người đứng đầu Văn phòng đại diện", originals=0, copies=1),
            _doc("Bản sao hợp đồng thuê địa điểm đặt trụ sở", originals=0, copies=1),
        ],
    },
    # --- Sở Tư pháp ------------------------------------------------------------------------------
    {
        "code": "2.000505",
        "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "field": "ly-lich-tu-phap",
        "agency": SO_TU_PHAP,
        "online_level": OnlineLevel.FULL,
        "processing_time": 10,
        "processing_time_unit": TimeUnit.CALENDAR_DAYS,
        "fee": 200_000,
        # Full online: paid with the application (the demo pays at the sandbox bank), refunded on refusal.
        "fee_timing": FeeTiming.SUBMISSION,
        "fee_refundable": True,
        "fee_notes": "Phí: 200.000 đồng/lần/người; sinh viên, người có công với cách mạng, thân nhân liệt sĩ: "
        "100.000 đồng; trẻ em, người cao tuổi, người khuyết tật, hộ nghèo: miễn phí. Từ Phiếu thứ 3 trở đi "
        "thu thêm 5.000 đồng/Phiếu (Thông tư 244/2016/TT-BTC).",
        "description": _steps(
            "Người yêu cầu khai tờ khai trực tuyến hoặc qua ứng dụng VNeID, nộp phí trực tuyến.",
            "Sở Tư pháp tra cứu, xác minh thông tin lý lịch tư pháp với cơ quan công an, tòa án.",
            "Lập và ký Phiếu lý lịch tư pháp.",
            "Trả kết quả bản điện tử, qua bưu chính hoặc tại Bộ phận một cửa.",
        ),
        "applicant_requirements": "Công dân Việt Nam; người nước ngoài đã hoặc đang cư trú tại Việt Nam. "
        "Phiếu số 2 chỉ cấp cho chính đương sự.",
        "result_description": "Phiếu lý lịch tư pháp số 1 hoặc số 2.",
        "legal_basis": "Luật Lý lịch tư pháp 2009;\nNghị định 111/2010/NĐ-CP;\n"
        "Thông tư 06/2024/TT-BTP về mẫu phiếu lý lịch tư pháp;\nThông tư 244/2016/TT-BTC về phí.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ngay_sinh", "Ngày sinh", "date"),
            _field("noi_cu_tru", "Nơi cư trú hiện nay", "textarea"),
            _field("loai_phieu", "Loại Phiếu yêu cầu cấp", "choice", choices=["Phiếu số 1", "Phiếu số 2"]),
            _field("so_luong", "Số lượng Phiếu", "number"),
            _field("muc_dich", "Mục đích sử dụng Phiếu", "textarea", required=False),
        ],
        "is_featured": True,
        "documents": [
            _doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2024/LLTP)", types=PDF_ONLY),
            _doc("Bản chụp Căn cước công dân hoặc hộ chiếu của người yêu cầu", originals=0, copies=1),
            _doc("Văn bản ủy quyền (khi ủy quyền làm thủ tục)", required=False),
            _doc("Giấy tờ chứng minh thuộc đối tượng miễn, giảm phí", required=False, originals=0, copies=1),
        ],
    },
    {
        "code": "2.000789",
        "name": "Đăng ký hoạt động Văn phòng công chứng",
        "field": "cong-chung",
        "agency": SO_TU_PHAP,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 10,
        "fee": 1_000_000,
        "fee_notes": "Phí thẩm định điều kiện hoạt động: 1.000.000 đồng/hồ sơ (Thông tư 257/2016/TT-BTC).",
        "description": _steps(
            "Văn phòng công chứng nộp hồ sơ đăng ký hoạt động trong 90 ngày kể từ ngày được phép thành lập.",
            "Sở Tư pháp kiểm tra hồ sơ và cấp Giấy đăng ký hoạt động.",
        ),
        "applicant_requirements": "Văn phòng công chứng đã có quyết định cho phép thành lập của UBND tỉnh.",
        "result_description": "Giấy đăng ký hoạt động Văn phòng công chứng.",
        "legal_basis": "Luật Công chứng 2024;\nNghị định 104/2025/NĐ-CP quy định chi tiết Luật Công chứng.",
        "applicant_fields": [
            _field("ten_van_phong", "Tên Văn phòng công chứng"),
            _field("truong_van_phong", "Trưởng Văn phòng"),
            _field("dien_thoai", "Số điện thoại", "phone"),
        ],
        "documents": [
            _doc("Đơn đăng ký hoạt động Văn phòng công chứng", types=PDF_ONLY),
            _doc("Bản sao quyết định cho phép thành lập Văn phòng công chứng", originals=0, copies=1),
            _doc("Giấy tờ chứng minh trụ sở của Văn phòng công chứng", originals=0, copies=1),
        ],
    },
    # --- Sở Xây dựng -----------------------------------------------------------------------------
    {
        "code": "1.009982",
        "name": "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
        "field": "xay-dung",
        "agency": SO_XAY_DUNG,
        "online_level": OnlineLevel.FULL,
        "processing_time": 20,
        "fee": 300_000,
        "fee_timing": FeeTiming.SUBMISSION,
        "fee_notes": "Lệ phí cấp chứng chỉ hành nghề: 300.000 đồng/chứng chỉ (Thông tư 38/2022/TT-BTC).",
        "description": _steps(
            "Cá nhân nộp hồ sơ trực tuyến và đăng ký sát hạch.",
            "Sở Xây dựng tổ chức sát hạch kinh nghiệm và kiến thức pháp luật.",
            "Hội đồng xét cấp chứng chỉ; Sở Xây dựng cấp chứng chỉ điện tử.",
        ),
        "applicant_requirements": "Cá nhân có trình độ chuyên môn và kinh nghiệm phù hợp lĩnh vực đề nghị "
        "cấp, đạt yêu cầu sát hạch.",
        "result_description": "Chứng chỉ hành nghề hoạt động xây dựng (thời hạn 5 năm).",
        "legal_basis": "Luật Xây dựng 2014, sửa đổi 2020;\nNghị định 175/2024/NĐ-CP quy định chi tiết một số "
        "điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field(
                "linh_vuc",
                "Lĩnh vực đề nghị cấp",
                "choice",
                choices=["Khảo sát xây dựng", "Thiết kế xây dựng", "Giám sát thi công", "Định giá xây dựng"],
            ),
            _field("hang", "Hạng chứng chỉ", "choice", choices=["Hạng II", "Hạng III"]),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp chứng chỉ hành nghề (Mẫu số 01, Phụ lục IV)", types=PDF_ONLY),
            _doc("Văn bằng đào tạo chuyên môn", originals=0, copies=1),
            _doc("Bản khai kinh nghiệm làm việc có xác nhận", types=["pdf", "docx"]),
            _doc("Ảnh chân dung cỡ 4x6 nền trắng", types=["jpg", "png"]),
        ],
    },
    {
        "code": "1.009987",
        "name": "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
        "field": "xay-dung",
        "agency": SO_XAY_DUNG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 20,
        "fee": 1_000_000,
        "fee_notes": "Lệ phí cấp chứng chỉ năng lực: 1.000.000 đồng/chứng chỉ (Thông tư 38/2022/TT-BTC).",
        "description": _steps(
            "Tổ chức nộp hồ sơ đề nghị cấp chứng chỉ năng lực.",
            "Sở Xây dựng đánh giá năng lực; yêu cầu bổ sung nếu cần.",
            "Cấp chứng chỉ năng lực và công khai trên trang thông tin điện tử.",
        ),
        "applicant_requirements": "Tổ chức tham gia khảo sát, thiết kế, thi công, giám sát, quản lý dự án "
        "đầu tư xây dựng.",
        "result_description": "Chứng chỉ năng lực hoạt động xây dựng (thời hạn 10 năm).",
        "legal_basis": "Luật Xây dựng 2014, sửa đổi 2020;\nNghị định 175/2024/NĐ-CP.",
        "applicant_fields": ENTERPRISE_FIELDS,
        "documents": [
            _doc("Đơn đề nghị cấp chứng chỉ năng lực (Mẫu số 04, Phụ lục IV)", types=PDF_ONLY),
            _doc("Quyết định thành lập hoặc Giấy chứng nhận đăng ký doanh nghiệp", originals=0, copies=1),
            _doc("Bảng kê khai kinh nghiệm thực hiện công việc tiêu biểu", types=OFFICE),
            _doc("Danh sách chức danh chủ chốt kèm chứng chỉ hành nghề", types=OFFICE),
        ],
    },
    # --- Sở Nông nghiệp và Môi trường ------------------------------------------------------------
    {
        "code": "1.003003",
        "name": "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "field": "dat-dai",
        "agency": SO_NONG_NGHIEP_MOI_TRUONG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 10,
        "fee": 30_000,
        "fee_notes": "Lệ phí cấp Giấy chứng nhận theo Nghị quyết của HĐND tỉnh; phí thẩm định hồ sơ và "
        "nghĩa vụ tài chính (nếu có) thông báo sau khi tiếp nhận.",
        "description": _steps(
            "Người sử dụng đất nộp hồ sơ tại Bộ phận một cửa hoặc trực tuyến.",
            "Văn phòng đăng ký đất đai kiểm tra hồ sơ, gửi thông tin xác định nghĩa vụ tài chính.",
            "Cập nhật biến động vào hồ sơ địa chính, chỉnh lý hoặc cấp mới Giấy chứng nhận.",
            "Trả kết quả sau khi người sử dụng đất hoàn thành nghĩa vụ tài chính.",
        ),
        "applicant_requirements": "Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất đã được cấp "
        "Giấy chứng nhận, có biến động do chuyển nhượng, tặng cho, thừa kế, thế chấp...",
        "result_description": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất "
        "được xác nhận thay đổi hoặc cấp mới.",
        "legal_basis": "Luật Đất đai 2024;\nNghị định 101/2024/NĐ-CP quy định về điều tra cơ bản đất đai; "
        "đăng ký, cấp Giấy chứng nhận;\nNghị định 151/2025/NĐ-CP về phân định thẩm quyền của chính quyền địa "
        "phương 02 cấp lĩnh vực đất đai.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field(
                "loai_bien_dong",
                "Loại biến động",
                "choice",
                choices=["Chuyển nhượng", "Tặng cho", "Thừa kế", "Thế chấp", "Đổi tên, thông tin người sử dụng"],
            ),
            _field("so_thua", "Số thửa đất"),
            _field("so_to_ban_do", "Số tờ bản đồ"),
        ],
        "documents": [
            _doc("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 11/ĐK)", types=PDF_ONLY),
            _doc("Bản gốc Giấy chứng nhận đã cấp", types=PDF_ONLY),
            _doc("Hợp đồng, văn bản về chuyển quyền đã công chứng hoặc chứng thực", types=PDF_ONLY),
            _doc("Tờ khai lệ phí trước bạ, tờ khai thuế thu nhập cá nhân", types=OFFICE),
        ],
    },
    {
        "code": "1.010727",
        "name": "Cấp giấy phép môi trường (cấp tỉnh)",
        "field": "moi-truong",
        "agency": SO_NONG_NGHIEP_MOI_TRUONG,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 30,
        "fee": 0,
        "fee_notes": "Phí thẩm định cấp giấy phép môi trường theo Nghị quyết của HĐND tỉnh, thông báo sau "
        "khi tiếp nhận hồ sơ.",
        "description": _steps(
            "Chủ dự án nộp hồ sơ đề nghị cấp giấy phép môi trường.",
            "Sở Nông nghiệp và Môi trường thành lập hội đồng thẩm định hoặc đoàn kiểm tra.",
            "Chủ dự án hoàn thiện hồ sơ theo ý kiến thẩm định (nếu có).",
            "Trình UBND tỉnh cấp giấy phép môi trường.",
        ),
        "applicant_requirements": "Dự án đầu tư, cơ sở có phát sinh nước thải, bụi, khí thải phải được xử "
        "lý thuộc thẩm quyền cấp phép của UBND tỉnh.",
        "result_description": "Giấy phép môi trường.",
        "legal_basis": "Luật Bảo vệ môi trường 2020;\nNghị định 08/2022/NĐ-CP;\nNghị định 05/2025/NĐ-CP "
        "sửa đổi, bổ sung Nghị định 08/2022/NĐ-CP.",
        "applicant_fields": [*ENTERPRISE_FIELDS, _field("ten_du_an", "Tên dự án, cơ sở")],
        "documents": [
            _doc("Văn bản đề nghị cấp giấy phép môi trường", types=PDF_ONLY),
            _doc("Báo cáo đề xuất cấp giấy phép môi trường", types=["pdf", "docx"]),
            _doc("Bản sao báo cáo nghiên cứu khả thi của dự án", required=False, originals=0, copies=1),
        ],
    },
    {
        "code": "1.002334",
        "name": "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh "
        "doanh thực phẩm nông, lâm, thủy sản",
        "field": "an-toan-thuc-pham",
        "agency": SO_NONG_NGHIEP_MOI_TRUONG,
        "online_level": OnlineLevel.FULL,
        "processing_time": 15,
        "fee": 700_000,
        "fee_notes": "Phí thẩm định: 700.000 đồng/lần đối với cơ sở sản xuất; 350.000 đồng/lần đối với cơ "
        "sở kinh doanh (Thông tư 44/2018/TT-BTC).",
        "description": _steps(
            "Cơ sở nộp hồ sơ trực tuyến.",
            "Thẩm định hồ sơ và thẩm định thực tế tại cơ sở.",
            "Cấp Giấy chứng nhận hoặc thông báo kết quả không đạt.",
        ),
        "applicant_requirements": "Cơ sở sản xuất, kinh doanh thực phẩm nông, lâm, thủy sản có đăng ký kinh doanh.",
        "result_description": "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thời hạn 3 năm).",
        "legal_basis": "Luật An toàn thực phẩm 2010;\nNghị định 15/2018/NĐ-CP;\nThông tư 38/2018/TT-BNNPTNT.",
        "applicant_fields": [*ENTERPRISE_FIELDS, _field("mat_hang", "Mặt hàng sản xuất, kinh doanh", "textarea")],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy chứng nhận (Phụ lục V, Thông tư 38/2018/TT-BNNPTNT)", types=PDF_ONLY),
            _doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị", types=["pdf", "docx"]),
            _doc("Danh sách chủ cơ sở và người lao động đã được xác nhận kiến thức an toàn thực phẩm", types=OFFICE),
        ],
    },
    # --- Sở Tài chính (đăng ký kinh doanh, đầu tư) -----------------------------------------------
    {
        "code": "2.001610",
        "name": "Đăng ký thành lập doanh nghiệp tư nhân",
        "field": "kinh-doanh",
        "agency": SO_TAI_CHINH,
        "online_level": OnlineLevel.FULL,
        "processing_time": 3,
        "fee": 0,
        "fee_notes": "Lệ phí đăng ký doanh nghiệp 50.000 đồng khi nộp trực tiếp; miễn lệ phí khi đăng ký qua "
        "mạng điện tử (Thông tư 47/2019/TT-BTC). Phí công bố nội dung đăng ký doanh nghiệp 100.000 đồng.",
        "description": _steps(
            "Người thành lập doanh nghiệp nộp hồ sơ trên Cổng thông tin quốc gia về đăng ký doanh nghiệp.",
            "Phòng Đăng ký kinh doanh thuộc Sở Tài chính kiểm tra tính hợp lệ của hồ sơ.",
            "Cấp Giấy chứng nhận đăng ký doanh nghiệp hoặc thông báo sửa đổi, bổ sung.",
        ),
        "applicant_requirements": "Cá nhân không thuộc đối tượng bị cấm thành lập doanh nghiệp; mỗi cá nhân "
        "chỉ được thành lập một doanh nghiệp tư nhân.",
        "result_description": "Giấy chứng nhận đăng ký doanh nghiệp.",
        "legal_basis": "Luật Doanh nghiệp 2020, sửa đổi 2025;\nNghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ten_doanh_nghiep", "Tên doanh nghiệp dự kiến"),
            _field("von_dau_tu", "Vốn đầu tư (đồng)", "number"),
            _field("nganh_nghe", "Ngành, nghề kinh doanh", "textarea"),
        ],
        "documents": [
            _doc("Giấy đề nghị đăng ký doanh nghiệp tư nhân (Phụ lục I-1)", types=PDF_ONLY),
            _doc("Bản sao giấy tờ pháp lý của chủ doanh nghiệp tư nhân", originals=0, copies=1),
        ],
    },
    {
        "code": "2.001199",
        "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "field": "kinh-doanh",
        "agency": SO_TAI_CHINH,
        "online_level": OnlineLevel.FULL,
        "processing_time": 3,
        "fee": 0,
        "fee_notes": "Lệ phí đăng ký doanh nghiệp 50.000 đồng khi nộp trực tiếp; miễn lệ phí khi đăng ký qua "
        "mạng điện tử (Thông tư 47/2019/TT-BTC).",
        "description": _steps(
            "Nộp hồ sơ đăng ký doanh nghiệp qua mạng điện tử bằng tài khoản định danh điện tử.",
            "Phòng Đăng ký kinh doanh kiểm tra hồ sơ trong 3 ngày làm việc.",
            "Cấp Giấy chứng nhận đăng ký doanh nghiệp và mã số doanh nghiệp.",
        ),
        "applicant_requirements": "Tổ chức, cá nhân có quyền thành lập doanh nghiệp theo Luật Doanh nghiệp.",
        "result_description": "Giấy chứng nhận đăng ký doanh nghiệp.",
        "legal_basis": "Luật Doanh nghiệp 2020, sửa đổi 2025;\nNghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ten_doanh_nghiep", "Tên công ty dự kiến"),
            _field("von_dieu_le", "Vốn điều lệ (đồng)", "number"),
            _field("dia_chi_tru_so", "Địa chỉ trụ sở chính", "textarea"),
        ],
        "is_featured": True,
        "documents": [
            _doc("Giấy đề nghị đăng ký doanh nghiệp (Phụ lục I-2)", types=PDF_ONLY),
            _doc("Điều lệ công ty", types=["pdf", "docx"]),
            _doc("Bản sao giấy tờ pháp lý của chủ sở hữu công ty", originals=0, copies=1),
            _doc("Văn bản ủy quyền cho người nộp hồ sơ", required=False),
        ],
    },
    {
        "code": "2.001586",
        "name": "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        "field": "kinh-doanh",
        "agency": SO_TAI_CHINH,
        "online_level": OnlineLevel.FULL,
        "processing_time": 3,
        "fee": 0,
        "fee_notes": "Lệ phí 50.000 đồng khi nộp trực tiếp; miễn khi nộp qua mạng điện tử.",
        "description": _steps(
            "Doanh nghiệp nộp hồ sơ đăng ký thay đổi trong 10 ngày kể từ ngày có thay đổi.",
            "Phòng Đăng ký kinh doanh kiểm tra hồ sơ và cấp Giấy chứng nhận mới.",
        ),
        "applicant_requirements": "Doanh nghiệp thay đổi tên, địa chỉ trụ sở, người đại diện, vốn điều lệ, "
        "thành viên hoặc chủ sở hữu.",
        "result_description": "Giấy chứng nhận đăng ký doanh nghiệp cấp đổi.",
        "legal_basis": "Luật Doanh nghiệp 2020, sửa đổi 2025;\nNghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp.",
        "applicant_fields": [
            *ENTERPRISE_FIELDS,
            _field(
                "noi_dung_thay_doi",
                "Nội dung thay đổi",
                "choice",
                choices=["Tên doanh nghiệp", "Địa chỉ trụ sở", "Người đại diện theo pháp luật", "Vốn điều lệ"],
            ),
        ],
        "documents": [
            _doc("Thông báo thay đổi nội dung đăng ký doanh nghiệp (Phụ lục II-1)", types=PDF_ONLY),
            _doc("Nghị quyết, quyết định của chủ sở hữu hoặc Hội đồng thành viên", types=PDF_ONLY),
            _doc("Biên bản họp về việc thay đổi", required=False, types=PDF_ONLY),
        ],
    },
    {
        "code": "1.009744",
        "name": "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
        "field": "dau-tu",
        "agency": SO_TAI_CHINH,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 15,
        "fee": 0,
        "fee_notes": "Không thu phí, lệ phí.",
        "description": _steps(
            "Nhà đầu tư kê khai trực tuyến trên Hệ thống thông tin quốc gia về đầu tư.",
            "Nộp hồ sơ bản giấy tại Bộ phận một cửa trong 15 ngày kể từ ngày kê khai.",
            "Sở Tài chính thẩm định và cấp Giấy chứng nhận đăng ký đầu tư.",
        ),
        "applicant_requirements": "Nhà đầu tư nước ngoài hoặc tổ chức kinh tế có vốn đầu tư nước ngoài thực "
        "hiện dự án ngoài khu công nghiệp, không thuộc diện chấp thuận chủ trương.",
        "result_description": "Giấy chứng nhận đăng ký đầu tư.",
        "legal_basis": "Luật Đầu tư 2020, sửa đổi 2025;\nNghị định 31/2021/NĐ-CP;\nThông tư 03/2021/TT-BKHĐT.",
        "applicant_fields": [
            *ENTERPRISE_FIELDS,
            _field("ten_du_an", "Tên dự án"),
            _field("tong_von", "Tổng vốn đầu tư (đồng)", "number"),
        ],
        "documents": [
            _doc("Văn bản đề nghị thực hiện dự án đầu tư (Mẫu A.I.1)", types=PDF_ONLY),
            _doc("Đề xuất dự án đầu tư", types=["pdf", "docx"]),
            _doc("Tài liệu chứng minh năng lực tài chính của nhà đầu tư", originals=0, copies=1),
            _doc("Tài liệu về quyền sử dụng địa điểm thực hiện dự án", originals=0, copies=1),
        ],
    },
    # --- Sở Y tế ---------------------------------------------------------------------------------
    {
        "code": "1.012269",
        "name": "Cấp giấy phép hoạt động khám bệnh, chữa bệnh đối với phòng khám",
        "field": "y-te",
        "agency": SO_Y_TE,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 45,
        "fee": 4_300_000,
        "fee_notes": "Phí thẩm định cấp giấy phép hoạt động đối với phòng khám: 4.300.000 đồng/lần "
        "(Thông tư 59/2023/TT-BTC).",
        "description": _steps(
            "Cơ sở nộp hồ sơ đề nghị cấp giấy phép hoạt động.",
            "Sở Y tế thẩm định hồ sơ và tổ chức thẩm định thực tế tại cơ sở.",
            "Cơ sở khắc phục tồn tại theo biên bản thẩm định (nếu có).",
            "Cấp giấy phép hoạt động và công khai trên Cổng thông tin điện tử của Sở.",
        ),
        "applicant_requirements": "Phòng khám đáp ứng điều kiện về cơ sở vật chất, thiết bị y tế và nhân sự; "
        "người chịu trách nhiệm chuyên môn có giấy phép hành nghề.",
        "result_description": "Giấy phép hoạt động khám bệnh, chữa bệnh.",
        "legal_basis": "Luật Khám bệnh, chữa bệnh 2023;\nNghị định 96/2023/NĐ-CP;\nThông tư 59/2023/TT-BTC.",
        "applicant_fields": [
            *ENTERPRISE_FIELDS,
            _field(
                "loai_phong_kham",
                "Hình thức tổ chức",
                "choice",
                choices=["Phòng khám đa khoa", "Phòng khám chuyên khoa", "Phòng khám bác sĩ gia đình"],
            ),
            _field("nguoi_chiu_trach_nhiem", "Người chịu trách nhiệm chuyên môn kỹ thuật"),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp giấy phép hoạt động (Mẫu 01, Phụ lục II)", types=PDF_ONLY),
            _doc("Bản kê khai cơ sở vật chất, thiết bị y tế, nhân sự", types=OFFICE),
            _doc("Danh sách người hành nghề kèm số giấy phép hành nghề", types=OFFICE),
            _doc("Bản sao giấy tờ chứng minh quyền sử dụng cơ sở", originals=0, copies=1),
        ],
    },
    {
        "code": "1.004616",
        "name": "Cấp Chứng chỉ hành nghề dược",
        "field": "duoc-pham",
        "agency": SO_Y_TE,
        "online_level": OnlineLevel.FULL,
        "processing_time": 20,
        "fee": 500_000,
        "fee_notes": "Phí thẩm định: 500.000 đồng/hồ sơ (Thông tư 41/2023/TT-BTC).",
        "description": _steps(
            "Người đề nghị nộp hồ sơ trực tuyến.",
            "Sở Y tế thẩm định hồ sơ, lấy ý kiến Hội đồng tư vấn cấp chứng chỉ hành nghề dược.",
            "Cấp Chứng chỉ hành nghề dược.",
        ),
        "applicant_requirements": "Người có văn bằng chuyên môn về dược và thời gian thực hành chuyên môn "
        "theo vị trí hành nghề.",
        "result_description": "Chứng chỉ hành nghề dược.",
        "legal_basis": "Luật Dược 2016, sửa đổi 2024;\nNghị định 54/2017/NĐ-CP;\nNghị định 155/2018/NĐ-CP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("van_bang", "Văn bằng chuyên môn", "choice", choices=["Dược sĩ đại học", "Dược sĩ cao đẳng"]),
            _field("vi_tri_hanh_nghe", "Vị trí hành nghề đề nghị"),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp Chứng chỉ hành nghề dược (Mẫu số 02)", types=PDF_ONLY),
            _doc("Bản sao văn bằng chuyên môn", originals=0, copies=1),
            _doc("Giấy xác nhận thời gian thực hành chuyên môn"),
            _doc("Ảnh chân dung cỡ 4x6 chụp trong vòng 6 tháng", types=["jpg", "png"]),
        ],
    },
    # --- Sở Giáo dục và Đào tạo ------------------------------------------------------------------
    {
        "code": "2.001914",
        "name": "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "field": "giao-duc",
        "agency": SO_GIAO_DUC,
        "online_level": OnlineLevel.FULL,
        "processing_time": 2,
        "fee": 0,
        "fee_notes": "Không thu phí.",
        "description": _steps(
            "Người yêu cầu nộp đề nghị trực tuyến kèm bản chụp giấy tờ tùy thân.",
            "Sở Giáo dục và Đào tạo đối chiếu sổ gốc cấp văn bằng.",
            "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc; trả qua bưu chính hoặc tại Bộ phận một cửa.",
        ),
        "applicant_requirements": "Người được cấp văn bằng, chứng chỉ hoặc người đại diện hợp pháp, người "
        "thừa kế của người đó.",
        "result_description": "Bản sao văn bằng, chứng chỉ từ sổ gốc.",
        "legal_basis": "Nghị định 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực;\nThông tư 21/2019/TT-BGDĐT "
        "ban hành Quy chế quản lý bằng tốt nghiệp, chứng chỉ.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field(
                "loai_van_bang", "Loại văn bằng", "choice", choices=["Bằng tốt nghiệp THPT", "Bằng tốt nghiệp THCS"]
            ),
            _field("nam_tot_nghiep", "Năm tốt nghiệp", "number"),
            _field("truong", "Trường đã học"),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc", types=PDF_ONLY),
            _doc("Bản chụp Căn cước công dân của người yêu cầu", originals=0, copies=1),
        ],
    },
    {
        "code": "1.005052",
        "name": "Chuyển trường đối với học sinh trung học phổ thông",
        "field": "giao-duc",
        "agency": SO_GIAO_DUC,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 3,
        "fee": 0,
        "fee_notes": "Không thu phí.",
        "description": _steps(
            "Cha mẹ hoặc người giám hộ học sinh nộp đơn xin chuyển trường.",
            "Hiệu trưởng trường nơi đến tiếp nhận; trường hợp chuyển đến từ tỉnh khác, Sở Giáo dục và Đào tạo "
            "cho phép chuyển trường.",
            "Trường nơi đi trả hồ sơ cho học sinh.",
        ),
        "applicant_requirements": "Học sinh chuyển nơi cư trú theo cha mẹ hoặc người giám hộ, hoặc có hoàn cảnh "
        "gia đình cần thiết phải chuyển trường.",
        "result_description": "Văn bản đồng ý chuyển trường.",
        "legal_basis": "Thông tư 32/2020/TT-BGDĐT ban hành Điều lệ trường trung học;\n"
        "Quyết định 51/2002/QĐ-BGDĐT về chuyển trường và tiếp nhận học sinh.",
        "applicant_fields": [
            _field("ho_ten_hoc_sinh", "Họ và tên học sinh"),
            _field("ngay_sinh", "Ngày sinh của học sinh", "date"),
            _field("lop", "Lớp đang học", "choice", choices=["Lớp 10", "Lớp 11", "Lớp 12"]),
            _field("truong_di", "Trường nơi đi"),
            _field("truong_den", "Trường nơi đến"),
            _field("ly_do", "Lý do chuyển trường", "textarea"),
        ],
        "documents": [
            _doc("Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký", types=PDF_ONLY),
            _doc("Học bạ", types=PDF_ONLY),
            _doc("Giấy giới thiệu chuyển trường của trường nơi đi"),
        ],
    },
    {
        "code": "1.005092",
        "name": "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "field": "giao-duc",
        "agency": SO_GIAO_DUC,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 5,
        "fee": 0,
        "fee_notes": "Không thu phí.",
        "description": _steps(
            "Người có văn bằng nộp đề nghị chỉnh sửa kèm giấy tờ làm căn cứ.",
            "Sở Giáo dục và Đào tạo xem xét, ra quyết định chỉnh sửa.",
        ),
        "applicant_requirements": "Người được cấp văn bằng có thay đổi hộ tịch, xác định lại dân tộc, giới "
        "tính hoặc văn bằng ghi sai do lỗi của cơ quan cấp.",
        "result_description": "Quyết định chỉnh sửa văn bằng, chứng chỉ.",
        "legal_basis": "Thông tư 21/2019/TT-BGDĐT ban hành Quy chế quản lý bằng tốt nghiệp, chứng chỉ.",
        "applicant_fields": [*PERSON_FIELDS, _field("noi_dung_chinh_sua", "Nội dung đề nghị chỉnh sửa", "textarea")],
        "documents": [
            _doc("Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ", types=PDF_ONLY),
            _doc("Văn bằng, chứng chỉ đề nghị chỉnh sửa", types=PDF_ONLY),
            _doc("Trích lục hoặc quyết định thay đổi, cải chính hộ tịch", originals=0, copies=1),
        ],
    },
    # --- Công an tỉnh ----------------------------------------------------------------------------
    {
        "code": "1.012988",
        "name": "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "field": "giay-phep-lai-xe",
        "agency": CONG_AN_TINH,
        "online_level": OnlineLevel.FULL,
        "processing_time": 5,
        "fee": 135_000,
        "fee_notes": "Lệ phí cấp đổi giấy phép lái xe: 135.000 đồng/lần (Thông tư 37/2023/TT-BTC).",
        "description": _steps(
            "Người đề nghị khai đơn trực tuyến, dùng thông tin giấy khám sức khỏe điện tử đã liên thông.",
            "Nộp lệ phí trực tuyến.",
            "Công an tỉnh kiểm tra, cấp giấy phép lái xe mới; giấy phép được tích hợp trên ứng dụng VNeID.",
            "Trả giấy phép lái xe qua bưu chính hoặc tại nơi tiếp nhận.",
        ),
        "applicant_requirements": "Người có giấy phép lái xe do ngành Giao thông vận tải cấp còn thời hạn "
        "hoặc hết hạn, có giấy khám sức khỏe hợp lệ.",
        "result_description": "Giấy phép lái xe (bản giấy và bản điện tử trên VNeID).",
        "legal_basis": "Luật Trật tự, an toàn giao thông đường bộ 2024;\nThông tư 35/2024/TT-BCA quy định về "
        "sát hạch, cấp giấy phép lái xe;\nThông tư 37/2023/TT-BTC.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("so_gplx", "Số giấy phép lái xe hiện có"),
            _field("hang_gplx", "Hạng giấy phép", "choice", choices=["A1", "A", "B", "C1", "C", "D", "E"]),
        ],
        "is_featured": True,
        "documents": [
            _doc("Đơn đề nghị đổi giấy phép lái xe (Mẫu số 01)", types=PDF_ONLY),
            _doc("Giấy khám sức khỏe của người lái xe", required=False),
            _doc("Bản chụp giấy phép lái xe đang sử dụng", originals=0, copies=1),
        ],
    },
    {
        "code": "1.012989",
        "name": "Cấp lại giấy phép lái xe",
        "field": "giay-phep-lai-xe",
        "agency": CONG_AN_TINH,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 10,
        "fee": 135_000,
        "fee_notes": "Lệ phí cấp lại giấy phép lái xe: 135.000 đồng/lần; phí sát hạch lại (nếu có) thu riêng.",
        "description": _steps(
            "Người đề nghị nộp hồ sơ trực tuyến hoặc tại trụ sở Phòng Cảnh sát giao thông.",
            "Chụp ảnh trực tiếp, xác minh thông tin giấy phép lái xe đã cấp.",
            "Cấp lại giấy phép lái xe hoặc hướng dẫn sát hạch lại với giấy phép quá hạn trên 12 tháng.",
        ),
        "applicant_requirements": "Người bị mất giấy phép lái xe hoặc có giấy phép quá thời hạn sử dụng.",
        "result_description": "Giấy phép lái xe cấp lại.",
        "legal_basis": "Luật Trật tự, an toàn giao thông đường bộ 2024;\nThông tư 35/2024/TT-BCA.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ly_do", "Lý do cấp lại", "choice", choices=["Bị mất", "Quá thời hạn sử dụng", "Bị hỏng"]),
        ],
        "documents": [
            _doc("Đơn đề nghị cấp lại giấy phép lái xe", types=PDF_ONLY),
            _doc("Giấy khám sức khỏe của người lái xe"),
        ],
    },
    # --- UBND phường Trần Hưng Đạo ---------------------------------------------------------------
    {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "ho-tich",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.FULL,
        "processing_time": 1,
        "fee": 0,
        "fee_notes": "Miễn lệ phí đăng ký khai sinh đúng hạn; cấp bản sao trích lục theo yêu cầu: 8.000 đồng/bản.",
        "description": _steps(
            "Người đi khai sinh nộp tờ khai trực tuyến hoặc tại Bộ phận một cửa, kèm giấy chứng sinh.",
            "Công chức tư pháp - hộ tịch kiểm tra, ghi vào Sổ hộ tịch và cập nhật Cơ sở dữ liệu hộ tịch.",
            "Chủ tịch UBND cấp xã ký Giấy khai sinh; trả bản điện tử hoặc bản giấy.",
        ),
        "applicant_requirements": "Cha, mẹ, ông, bà hoặc người thân thích khác có trách nhiệm đi khai sinh "
        "cho trẻ trong thời hạn 60 ngày kể từ ngày sinh.",
        "result_description": "Giấy khai sinh (bản chính) và số định danh cá nhân của trẻ.",
        "legal_basis": "Luật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP quy định chi tiết Luật Hộ tịch;\n"
        "Thông tư 04/2020/TT-BTP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ho_ten_tre", "Họ, chữ đệm và tên của trẻ"),
            _field("ngay_sinh_tre", "Ngày sinh của trẻ", "date"),
            _field("gioi_tinh_tre", "Giới tính của trẻ", "choice", choices=["Nam", "Nữ"]),
            _field("noi_sinh", "Nơi sinh"),
            _field("quan_he", "Quan hệ với trẻ", "choice", choices=["Cha", "Mẹ", "Ông", "Bà", "Người thân khác"]),
        ],
        "is_featured": True,
        "documents": [
            _doc("Tờ khai đăng ký khai sinh (theo mẫu)", types=PDF_ONLY),
            _doc("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh"),
            _doc("Giấy chứng nhận kết hôn của cha mẹ (nếu có)", required=False, originals=0, copies=1),
        ],
    },
    {
        "code": "1.000894",
        "name": "Đăng ký kết hôn",
        "field": "ho-tich",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 1,
        "fee": 0,
        "fee_notes": "Miễn lệ phí đăng ký kết hôn giữa công dân Việt Nam cư trú ở trong nước.",
        "description": _steps(
            "Hai bên nam, nữ nộp tờ khai trực tuyến hoặc tại Bộ phận một cửa.",
            "Công chức tư pháp - hộ tịch kiểm tra điều kiện kết hôn; xác minh nếu cần (không quá 5 ngày làm việc).",
            "Hai bên có mặt, ký vào Sổ đăng ký kết hôn và Giấy chứng nhận kết hôn.",
        ),
        "applicant_requirements": "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; tự nguyện; không thuộc trường hợp "
        "cấm kết hôn theo Luật Hôn nhân và gia đình.",
        "result_description": "Giấy chứng nhận kết hôn (01 bản chính cho mỗi bên).",
        "legal_basis": "Luật Hôn nhân và gia đình 2014;\nLuật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP.",
        "applicant_fields": [
            _field("ho_ten_chong", "Họ và tên bên nam"),
            _field("cccd_chong", "Số CCCD bên nam", "citizen_id"),
            _field("ho_ten_vo", "Họ và tên bên nữ"),
            _field("cccd_vo", "Số CCCD bên nữ", "citizen_id"),
            _field("dien_thoai", "Số điện thoại liên hệ", "phone"),
            _field("ngay_hen", "Ngày dự kiến đến nhận Giấy chứng nhận", "date", required=False),
        ],
        "channels": {"accepts_postal": False, "delivers_by_post": False},
        "documents": [
            _doc("Tờ khai đăng ký kết hôn (theo mẫu)", types=PDF_ONLY),
            _doc("Giấy xác nhận tình trạng hôn nhân (khi đăng ký tại nơi không thường trú)", required=False),
        ],
    },
    {
        "code": "1.000656",
        "name": "Đăng ký khai tử",
        "field": "ho-tich",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.FULL,
        "processing_time": 1,
        "fee": 0,
        "fee_notes": "Miễn lệ phí đăng ký khai tử đúng hạn.",
        "description": _steps(
            "Người đi khai tử nộp tờ khai kèm giấy báo tử trong 15 ngày kể từ ngày có người chết.",
            "Công chức tư pháp - hộ tịch ghi vào Sổ hộ tịch, cập nhật Cơ sở dữ liệu hộ tịch.",
            "Cấp Trích lục khai tử.",
        ),
        "applicant_requirements": "Vợ, chồng, con, cha, mẹ hoặc người thân thích khác của người chết.",
        "result_description": "Trích lục khai tử.",
        "legal_basis": "Luật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ho_ten_nguoi_chet", "Họ và tên người chết"),
            _field("cccd_nguoi_chet", "Số CCCD của người chết", "citizen_id", required=False),
            _field("ngay_chet", "Ngày chết", "date"),
            _field("noi_chet", "Nơi chết"),
        ],
        "documents": [
            _doc("Tờ khai đăng ký khai tử (theo mẫu)", types=PDF_ONLY),
            _doc("Giấy báo tử hoặc giấy tờ thay giấy báo tử"),
        ],
    },
    {
        "code": "1.004873",
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "field": "ho-tich",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.FULL,
        "processing_time": 3,
        "fee": 3_000,
        "fee_notes": "Lệ phí 3.000 đồng/trường hợp theo Nghị quyết của HĐND tỉnh; miễn cho hộ nghèo, người khuyết tật.",
        "description": _steps(
            "Người yêu cầu nộp tờ khai trực tuyến.",
            "Công chức tư pháp - hộ tịch kiểm tra, xác minh tình trạng hôn nhân trong Cơ sở dữ liệu hộ tịch.",
            "Cấp Giấy xác nhận tình trạng hôn nhân (giá trị 6 tháng).",
        ),
        "applicant_requirements": "Công dân Việt Nam thường trú tại phường có yêu cầu xác nhận tình trạng hôn nhân.",
        "result_description": "Giấy xác nhận tình trạng hôn nhân.",
        "legal_basis": "Luật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP;\nThông tư 04/2020/TT-BTP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field(
                "muc_dich",
                "Mục đích sử dụng",
                "choice",
                choices=["Đăng ký kết hôn", "Giao dịch dân sự", "Mục đích khác"],
            ),
        ],
        "documents": [
            _doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)", types=PDF_ONLY),
            _doc("Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ/chồng (nếu có)", required=False),
        ],
    },
    {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        "field": "chung-thuc",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.NOT_ONLINE,
        "processing_time": 4,
        "processing_time_unit": TimeUnit.WORKING_HOURS,
        "cutoff_time": time(15, 0),
        "fee": 2_000,
        "fee_notes": "2.000 đồng/trang; từ trang thứ 3 trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản "
        "(Thông tư 226/2016/TT-BTC). Yêu cầu nhận sau 15 giờ được trả trong ngày làm việc tiếp theo.",
        "description": _steps(
            "Người yêu cầu xuất trình bản chính và bản sao cần chứng thực tại Bộ phận một cửa.",
            "Người thực hiện chứng thực đối chiếu bản sao với bản chính.",
            "Ghi lời chứng, ký, đóng dấu và ghi vào sổ chứng thực; trả kết quả trong ngày.",
        ),
        "applicant_requirements": "Cá nhân, tổ chức có bản chính giấy tờ, văn bản do cơ quan có thẩm quyền "
        "của Việt Nam cấp.",
        "result_description": "Bản sao được chứng thực từ bản chính.",
        "legal_basis": "Nghị định 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, "
        "chứng thực chữ ký và chứng thực hợp đồng, giao dịch;\nThông tư 01/2020/TT-BTP;\n"
        "Thông tư 226/2016/TT-BTC.",
        "applicant_fields": [*PERSON_FIELDS, _field("so_trang", "Tổng số trang cần chứng thực", "number")],
        "is_featured": True,
        "documents": [
            _doc("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", copies=0),
            _doc("Bản sao cần chứng thực", originals=0, copies=1),
        ],
    },
    {
        "code": "2.000884",
        "name": "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "field": "chung-thuc",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.NOT_ONLINE,
        "processing_time": 1,
        "fee": 10_000,
        "fee_notes": "10.000 đồng/trường hợp (Thông tư 226/2016/TT-BTC).",
        "description": _steps(
            "Người yêu cầu xuất trình giấy tờ tùy thân và giấy tờ, văn bản sẽ ký.",
            "Người yêu cầu ký trước mặt người thực hiện chứng thực.",
            "Ghi lời chứng, ký, đóng dấu và ghi vào sổ chứng thực.",
        ),
        "applicant_requirements": "Người yêu cầu chứng thực minh mẫn, nhận thức và làm chủ được hành vi.",
        "result_description": "Giấy tờ, văn bản đã được chứng thực chữ ký.",
        "legal_basis": "Nghị định 23/2015/NĐ-CP;\nThông tư 01/2020/TT-BTP.",
        "applicant_fields": PERSON_FIELDS,
        "documents": [
            _doc("Bản chính hoặc bản sao có chứng thực giấy tờ tùy thân còn giá trị", originals=1),
            _doc("Giấy tờ, văn bản sẽ ký"),
        ],
    },
    {
        "code": "2.000720",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "field": "kinh-doanh",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 3,
        "fee": 100_000,
        "fee_notes": "Lệ phí đăng ký hộ kinh doanh 100.000 đồng/lần theo Nghị quyết của HĐND tỉnh.",
        "description": _steps(
            "Chủ hộ kinh doanh nộp hồ sơ trực tuyến hoặc tại Bộ phận một cửa của UBND phường.",
            "Cơ quan đăng ký kinh doanh cấp xã kiểm tra tên hộ kinh doanh và tính hợp lệ của hồ sơ.",
            "Cấp Giấy chứng nhận đăng ký hộ kinh doanh trong 3 ngày làm việc.",
        ),
        "applicant_requirements": "Cá nhân, thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi "
        "dân sự đầy đủ; mỗi người chỉ đăng ký một hộ kinh doanh.",
        "result_description": "Giấy chứng nhận đăng ký hộ kinh doanh.",
        "legal_basis": "Luật Doanh nghiệp 2020, sửa đổi 2025;\nNghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp "
        "(Chương hộ kinh doanh).",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ten_ho_kinh_doanh", "Tên hộ kinh doanh"),
            _field("dia_diem", "Địa điểm kinh doanh", "textarea"),
            _field("nganh_nghe", "Ngành, nghề kinh doanh", "textarea"),
            _field("von_kinh_doanh", "Vốn kinh doanh (đồng)", "number"),
        ],
        "is_featured": True,
        "documents": [
            _doc("Giấy đề nghị đăng ký hộ kinh doanh (Phụ lục III-1)", types=PDF_ONLY),
            _doc("Bản sao giấy tờ pháp lý của chủ hộ kinh doanh", originals=0, copies=1),
            _doc(
                "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh",
                required=False,
                originals=0,
                copies=1,
            ),
            _doc("Hợp đồng thuê địa điểm kinh doanh", required=False, originals=0, copies=1),
        ],
    },
    {
        "code": "2.000633",
        "name": "Cấp Giấy phép bán lẻ rượu",
        "field": "luu-thong-hang-hoa",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 10,
        "fee": 400_000,
        "fee_notes": "Phí thẩm định: 400.000 đồng/điểm kinh doanh tại khu vực đô thị; 200.000 đồng tại khu vực "
        "khác (Thông tư 168/2016/TT-BTC).",
        "description": _steps(
            "Thương nhân, hộ kinh doanh nộp hồ sơ đề nghị cấp giấy phép.",
            "UBND phường thẩm định hồ sơ, kiểm tra địa điểm kinh doanh.",
            "Cấp Giấy phép bán lẻ rượu (thời hạn 5 năm).",
        ),
        "applicant_requirements": "Doanh nghiệp, hộ kinh doanh có đăng ký ngành bán lẻ đồ uống có cồn, có "
        "địa điểm kinh doanh cố định.",
        "result_description": "Giấy phép bán lẻ rượu.",
        "legal_basis": "Nghị định 105/2017/NĐ-CP về kinh doanh rượu;\nNghị định 17/2020/NĐ-CP;\n"
        "Thông tư 168/2016/TT-BTC.",
        "applicant_fields": [*PERSON_FIELDS, _field("dia_diem", "Địa điểm bán lẻ")],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy phép bán lẻ rượu (Mẫu số 01)", types=PDF_ONLY),
            _doc("Bản sao Giấy chứng nhận đăng ký hộ kinh doanh hoặc doanh nghiệp", originals=0, copies=1),
            _doc("Bản sao văn bản giới thiệu của thương nhân cung cấp rượu", originals=0, copies=1),
        ],
    },
    {
        "code": "1.009974",
        "name": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "field": "xay-dung",
        "agency": PHUONG_TRAN_HUNG_DAO,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 15,
        "fee": 75_000,
        "fee_notes": "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép theo Nghị quyết của "
        "HĐND tỉnh.",
        "description": _steps(
            "Chủ đầu tư nộp hồ sơ trực tuyến hoặc tại Bộ phận một cửa.",
            "Công chức địa chính - xây dựng kiểm tra hồ sơ và thực địa trong 7 ngày làm việc.",
            "Lấy ý kiến các cơ quan liên quan (nếu cần).",
            "Chủ tịch UBND phường cấp giấy phép xây dựng.",
        ),
        "applicant_requirements": "Chủ đầu tư có quyền sử dụng đất hợp pháp; công trình phù hợp quy hoạch "
        "chi tiết và thiết kế đô thị được duyệt.",
        "result_description": "Giấy phép xây dựng kèm bản vẽ thiết kế được đóng dấu.",
        "legal_basis": "Luật Xây dựng 2014, sửa đổi 2020;\nNghị định 175/2024/NĐ-CP;\nNghị định 140/2025/NĐ-CP "
        "về phân định thẩm quyền của chính quyền địa phương 02 cấp lĩnh vực xây dựng.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("dia_diem_xay_dung", "Địa điểm xây dựng", "textarea"),
            _field("so_tang", "Số tầng", "number"),
            _field("dien_tich_san", "Tổng diện tích sàn (m²)", "number"),
        ],
        "is_featured": True,
        "documents": [
            _doc("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01, Phụ lục II)", types=PDF_ONLY),
            _doc("Bản sao giấy tờ chứng minh quyền sử dụng đất", originals=0, copies=1),
            _doc("02 bộ bản vẽ thiết kế xây dựng", originals=2, types=PDF_ONLY),
            _doc("Bản kê khai năng lực, kinh nghiệm của tổ chức, cá nhân thiết kế", required=False, types=OFFICE),
        ],
    },
    # --- UBND phường Kỳ Bá -----------------------------------------------------------------------
    {
        "code": "1.004859",
        "name": "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "field": "ho-tich",
        "agency": PHUONG_KY_BA,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 3,
        "fee": 15_000,
        "fee_notes": "Lệ phí 15.000 đồng/trường hợp theo Nghị quyết của HĐND tỉnh; bổ sung thông tin hộ tịch "
        "không thu lệ phí.",
        "description": _steps(
            "Người yêu cầu nộp tờ khai kèm giấy tờ làm căn cứ thay đổi, cải chính.",
            "Công chức tư pháp - hộ tịch kiểm tra; xác minh nếu cần (thêm không quá 3 ngày làm việc).",
            "Chủ tịch UBND phường ký Trích lục thay đổi, cải chính hộ tịch.",
        ),
        "applicant_requirements": "Người dưới 14 tuổi thay đổi họ, chữ đệm, tên; cải chính nội dung hộ tịch "
        "có sai sót; bổ sung thông tin còn thiếu.",
        "result_description": "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch.",
        "legal_basis": "Bộ luật Dân sự 2015;\nLuật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field(
                "loai_yeu_cau",
                "Loại yêu cầu",
                "choice",
                choices=["Thay đổi hộ tịch", "Cải chính hộ tịch", "Bổ sung thông tin hộ tịch"],
            ),
            _field("noi_dung", "Nội dung yêu cầu", "textarea"),
        ],
        "documents": [
            _doc("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", types=PDF_ONLY),
            _doc("Giấy tờ làm căn cứ cho việc thay đổi, cải chính", originals=0, copies=1),
            _doc("Giấy khai sinh hoặc giấy tờ hộ tịch cần thay đổi", originals=0, copies=1),
        ],
    },
    {
        "code": "2.000635",
        "name": "Cấp bản sao Trích lục hộ tịch",
        "field": "ho-tich",
        "agency": PHUONG_KY_BA,
        "online_level": OnlineLevel.FULL,
        "processing_time": 1,
        "fee": 8_000,
        "fee_notes": "8.000 đồng/bản sao Trích lục (Thông tư 281/2016/TT-BTC).",
        "description": _steps(
            "Người yêu cầu nộp tờ khai trực tuyến và nộp phí.",
            "Công chức tư pháp - hộ tịch tra cứu Cơ sở dữ liệu hộ tịch.",
            "Cấp bản sao Trích lục hộ tịch điện tử hoặc bản giấy.",
        ),
        "applicant_requirements": "Cá nhân, tổ chức có yêu cầu cấp bản sao trích lục về sự kiện hộ tịch đã đăng ký.",
        "result_description": "Bản sao Trích lục hộ tịch.",
        "legal_basis": "Luật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP;\nThông tư 281/2016/TT-BTC.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field(
                "loai_trich_luc",
                "Loại trích lục",
                "choice",
                choices=["Khai sinh", "Kết hôn", "Khai tử", "Thay đổi, cải chính hộ tịch"],
            ),
            _field("so_ban", "Số bản yêu cầu", "number"),
        ],
        "documents": [
            _doc("Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)", types=PDF_ONLY),
            _doc("Văn bản ủy quyền (khi ủy quyền làm thủ tục)", required=False),
        ],
    },
    # --- UBND xã Thái Thụy -----------------------------------------------------------------------
    {
        "code": "1.004837",
        "name": "Đăng ký giám hộ",
        "field": "ho-tich",
        "agency": XA_THAI_THUY,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 3,
        "fee": 0,
        "fee_notes": "Không thu lệ phí.",
        "description": _steps(
            "Người yêu cầu nộp tờ khai kèm văn bản cử người giám hộ.",
            "Công chức tư pháp - hộ tịch kiểm tra, ghi vào Sổ đăng ký giám hộ.",
            "Chủ tịch UBND xã cấp Trích lục đăng ký giám hộ.",
        ),
        "applicant_requirements": "Người được cử làm giám hộ cho người chưa thành niên hoặc người mất năng "
        "lực hành vi dân sự.",
        "result_description": "Trích lục đăng ký giám hộ.",
        "legal_basis": "Bộ luật Dân sự 2015;\nLuật Hộ tịch 2014;\nNghị định 123/2015/NĐ-CP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ho_ten_nguoi_duoc_giam_ho", "Họ và tên người được giám hộ"),
            _field("ngay_sinh_nguoi_duoc_giam_ho", "Ngày sinh người được giám hộ", "date"),
        ],
        "documents": [
            _doc("Tờ khai đăng ký giám hộ (theo mẫu)", types=PDF_ONLY),
            _doc("Văn bản cử người giám hộ", originals=1),
        ],
    },
    {
        "code": "1.001022",
        "name": "Đăng ký nhận cha, mẹ, con",
        "field": "ho-tich",
        "agency": XA_THAI_THUY,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 3,
        "fee": 0,
        "fee_notes": "Miễn lệ phí đối với công dân Việt Nam cư trú ở trong nước.",
        "description": _steps(
            "Người nhận và người được nhận nộp tờ khai, chứng cứ chứng minh quan hệ cha, mẹ, con.",
            "Công chức tư pháp - hộ tịch niêm yết công khai, xác minh (nếu cần).",
            "Các bên có mặt ký Sổ hộ tịch; Chủ tịch UBND xã cấp Trích lục.",
        ),
        "applicant_requirements": "Cha, mẹ, con còn sống; không có tranh chấp về việc nhận cha, mẹ, con.",
        "result_description": "Trích lục đăng ký nhận cha, mẹ, con.",
        "legal_basis": "Luật Hôn nhân và gia đình 2014;\nLuật Hộ tịch 2014;\nThông tư 04/2020/TT-BTP.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ho_ten_nguoi_duoc_nhan", "Họ và tên người được nhận"),
            _field("quan_he", "Quan hệ", "choice", choices=["Nhận con", "Nhận cha", "Nhận mẹ"]),
        ],
        "documents": [
            _doc("Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)", types=PDF_ONLY),
            _doc("Văn bản giám định ADN hoặc chứng cứ chứng minh quan hệ cha, mẹ, con"),
        ],
    },
    {
        "code": "1.003554",
        "name": "Hòa giải tranh chấp đất đai",
        "field": "dat-dai",
        "agency": XA_THAI_THUY,
        "online_level": OnlineLevel.NOT_ONLINE,
        "processing_time": 30,
        "fee": 0,
        "fee_notes": "Không thu phí.",
        "description": _steps(
            "Bên tranh chấp nộp đơn yêu cầu hòa giải tại UBND xã.",
            "Thẩm tra, xác minh nguồn gốc, quá trình sử dụng đất; thành lập Hội đồng hòa giải.",
            "Tổ chức cuộc họp hòa giải với sự có mặt của các bên; lập biên bản hòa giải.",
        ),
        "applicant_requirements": "Các bên tranh chấp đất đai trên địa bàn xã.",
        "result_description": "Biên bản hòa giải thành hoặc không thành.",
        "legal_basis": "Luật Đất đai 2024;\nNghị định 102/2024/NĐ-CP quy định chi tiết thi hành Luật Đất đai.",
        "applicant_fields": [
            *PERSON_FIELDS,
            _field("ben_tranh_chap", "Họ và tên bên tranh chấp còn lại"),
            _field("noi_dung", "Nội dung tranh chấp", "textarea"),
        ],
        "documents": [
            _doc("Đơn yêu cầu hòa giải tranh chấp đất đai", types=PDF_ONLY),
            _doc("Giấy tờ về quyền sử dụng đất liên quan (nếu có)", required=False, originals=0, copies=1),
        ],
    },
    # --- UBND xã Vũ Thư --------------------------------------------------------------------------
    {
        "code": "2.000181",
        "name": "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
        "field": "luu-thong-hang-hoa",
        "agency": XA_VU_THU,
        "online_level": OnlineLevel.PARTIAL,
        "processing_time": 15,
        "fee": 200_000,
        "fee_notes": "Phí thẩm định: 200.000 đồng/điểm kinh doanh tại khu vực nông thôn (Thông tư 168/2016/TT-BTC).",
        "description": _steps(
            "Thương nhân nộp hồ sơ trực tuyến, qua bưu chính hoặc tại Bộ phận một cửa của UBND xã.",
            "UBND xã thẩm định hồ sơ và địa điểm kinh doanh.",
            "Cấp Giấy phép bán lẻ sản phẩm thuốc lá (thời hạn 5 năm).",
        ),
        "applicant_requirements": "Thương nhân có đăng ký kinh doanh bán lẻ sản phẩm thuốc lá, địa điểm không "
        "vi phạm quy định về địa điểm cấm bán thuốc lá.",
        "result_description": "Giấy phép bán lẻ sản phẩm thuốc lá.",
        "legal_basis": "Luật Phòng, chống tác hại của thuốc lá 2012;\nNghị định 67/2013/NĐ-CP;\n"
        "Nghị định 106/2017/NĐ-CP.",
        "applicant_fields": [*PERSON_FIELDS, _field("dia_diem", "Địa điểm kinh doanh")],
        "documents": [
            _doc("Đơn đề nghị cấp Giấy phép bán lẻ sản phẩm thuốc lá", types=PDF_ONLY),
            _doc("Bản sao Giấy chứng nhận đăng ký hộ kinh doanh hoặc doanh nghiệp", originals=0, copies=1),
            _doc("Bản sao văn bản giới thiệu của thương nhân bán buôn sản phẩm thuốc lá", originals=0, copies=1),
        ],
    },
)
