"""The receipt (form 01) fits one A4 page, its signatures and QR code included, for a dossier of many components."""

import re
import uuid

import pytest

from dossiers import pdf, selectors, services
from dossiers.constants import Action
from tests.factories import ProcedureFactory, RequiredDocumentFactory, UserFactory, pdf_upload

pytestmark = pytest.mark.django_db

COMPONENTS = [
    "Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ (Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP)",
    "Bản sao giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai",
    "Bản vẽ thiết kế xây dựng: mặt bằng công trình trên lô đất, mặt bằng các tầng, các mặt đứng và mặt cắt chính",
    "Bản kê khai năng lực, kinh nghiệm của tổ chức, cá nhân thiết kế",
    "Văn bản thỏa thuận về giải pháp gia cố, chống đỡ công trình liền kề",
    "Bản sao giấy chứng nhận quyền sở hữu công trình đối với trường hợp sửa chữa, cải tạo",
    "Bản cam kết bảo đảm an toàn đối với công trình liền kề",
    "Giấy ủy quyền (nếu nộp thay)",
]


def page_count(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", content))


def test_a_receipt_of_eight_components_is_one_page_with_signatures_and_qr():
    procedure = ProcedureFactory(name="Cấp giấy phép xây dựng đối với công trình, nhà ở riêng lẻ", processing_time=15)
    applicant = UserFactory(citizen=True, full_name="Nguyễn Thị Phương Thảo", phone="0912345678")
    draft = services.dossier_start_draft(applicant=applicant, procedure=procedure, client_token=uuid.uuid4())
    for name in COMPONENTS:
        component = RequiredDocumentFactory(procedure=procedure, name=name, original_copies=1, copy_copies=1)
        services.dossier_add_documents(
            dossier=draft, applicant=applicant, required_document=component, files=[pdf_upload()]
        )
    dossier = services.dossier_submit(dossier=draft, applicant=applicant)
    officer = UserFactory(reception_officer=True, agency=procedure.agency, full_name="Trần Thị Tiếp Nhận")
    dossier = services.dossier_receive(dossier=dossier, officer=officer)

    document = pdf.receipt_content(
        dossier,
        components=selectors.dossier_received_components(dossier=dossier),
        receiving_officer=selectors.dossier_last_event(dossier=dossier, action=Action.RECEIVE).actor,
    )
    content = pdf.render(document)

    assert page_count(content) == 1
    assert [s.name for s in document.signatures] == ["Nguyễn Thị Phương Thảo", "Trần Thị Tiếp Nhận"]
