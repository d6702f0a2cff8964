"""The machine codes of the refusals a dossier's workflow answers: every `TransitionNotAllowed` carries one, and
the API sends it beside the message (`{"code": ..., "detail": ...}`, portal/api_errors.py), so a program tells
"not in this status" from "someone else has it" without reading Vietnamese. The labels are for the API's
documentation."""

from django.db import models


class ErrorCode(models.TextChoices):
    NOT_PERMITTED = "not_permitted", "Vai trò của người dùng không thực hiện thao tác này với hồ sơ."
    NOT_IN_STATUS = "not_in_status", "Trạng thái hiện tại của hồ sơ không cho phép thao tác này."
    NOT_ASSIGNEE = "not_assignee", "Chỉ chuyên viên được giao xử lý hồ sơ mới thực hiện thao tác này."
    ALREADY_ASSIGNED = "already_assigned", "Hồ sơ đã có chuyên viên xử lý."
    ASSIGNEE_CHANGED = (
        "assignee_changed",
        "Chuyên viên xử lý của hồ sơ vừa thay đổi so với lúc người dùng xem; hãy xem lại trước khi giao.",
    )
    OWN_PROPOSAL = "own_proposal", "Cơ quan yêu cầu người phê duyệt khác người đã trình (nguyên tắc bốn mắt)."
    ONCE_ONLY = "once_only", "Thao tác này chỉ được thực hiện một lần với mỗi hồ sơ."
    APPLICANT_HAS_ACCOUNT = (
        "applicant_has_account",
        "Người nộp có tài khoản tự thực hiện thao tác này trực tuyến.",
    )
    FEE_NOT_DUE = (
        "fee_not_due",
        "Hồ sơ không có khoản phí, lệ phí phải nộp lúc này (không thu phí, đã nộp, hoặc chưa đến lúc).",
    )
    FEE_UNPAID = "fee_unpaid", "Phí, lệ phí của hồ sơ phải được nộp trước thao tác này."
    RESULT_WITH_POST = (
        "result_with_post",
        "Kết quả của hồ sơ đã được giao cho bưu điện (bưu gửi chưa bị chuyển hoàn hay huỷ) nên không trả tại quầy.",
    )
    INVALID = "invalid", "Dữ liệu gửi lên không hợp lệ (thông báo trong `detail` hoặc theo từng trường)."
    # Upload volume (400): the limits of config/settings/base.py, checked by dossiers/uploads.py.
    TOO_MANY_FILES = "too_many_files", "Quá số tệp được gửi một lần (cả yêu cầu, hoặc một thành phần hồ sơ)."
    REQUEST_TOO_LARGE = "request_too_large", "Các tệp gửi một lần nặng quá giới hạn."
    DOSSIER_STORAGE_FULL = "dossier_storage_full", "Hồ sơ đã lưu đủ dung lượng tệp cho phép."
    STORAGE_QUOTA_EXCEEDED = "storage_quota_exceeded", "Tài khoản đã dùng hết dung lượng lưu tệp."
    # Electronic results: signing at approval (409) and verification (400).
    SIGNING_UNAVAILABLE = "signing_unavailable", "Cơ quan chưa có chứng thư số dùng được để ký kết quả."
    SIGNING_CERTIFICATE_EXPIRED = (
        "signing_certificate_expired",
        "Chứng thư số của cơ quan đã hết hạn hoặc chưa có hiệu lực nên không ký được kết quả.",
    )
    RESULT_NOT_SIGNABLE = "result_not_signable", "Văn bản kết quả không phải tệp PDF đọc được để ký số."
    NO_ISSUED_RESULT = "no_issued_result", "Hồ sơ không có kết quả điện tử đang có hiệu lực."
    NOT_A_PDF = "not_a_pdf", "Tệp gửi lên không phải PDF."
    FILE_TOO_LARGE = "file_too_large", "Tệp gửi lên lớn quá giới hạn."
