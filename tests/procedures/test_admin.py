"""The Django admin at /quan-tri/: agency administrators manage their own agency's procedures only, editing
applicant fields and required documents with widgets, never typed JSON."""

import pytest
from django.forms import FileField
from django.urls import reverse

from procedures.models import Procedure, RequiredDocument
from tests.factories import AgencyFactory, ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:procedures_procedure_changelist")
ADD = reverse("admin:procedures_procedure_add")


def change_url(procedure) -> str:
    return reverse("admin:procedures_procedure_change", args=[procedure.pk])


def post_data_from(response) -> dict:
    """What the browser would post back for the admin form in `response`, unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or isinstance(form.fields[name], FileField):
                continue  # what a browser leaves out: empty values, unchecked boxes, no new file
            data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def own_procedure(agency_admin):
    return ProcedureFactory(agency=agency_admin.agency, name="Cấp giấy phép khai thác nước mặt")


@pytest.fixture
def other_procedure():
    return ProcedureFactory(agency=AgencyFactory(), name="Cấp giấy phép lái xe")


def listed_codes(response) -> set[str]:
    return {procedure.code for procedure in response.context["cl"].result_list}


def test_superuser_sees_every_procedure(client, superuser, own_procedure, other_procedure):
    client.force_login(superuser)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed_codes(response) == {own_procedure.code, other_procedure.code}


def test_agency_admin_sees_only_its_agency(client, agency_admin, own_procedure, other_procedure):
    client.force_login(agency_admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed_codes(response) == {own_procedure.code}


def test_agency_admin_cannot_open_another_agencys_procedure(client, agency_admin, other_procedure):
    client.force_login(agency_admin)

    response = client.get(change_url(other_procedure))

    assert response.status_code in {302, 404}
    assert "adminform" not in (response.context or {})


def test_agency_admin_cannot_change_another_agencys_procedure(client, agency_admin, other_procedure):
    client.force_login(agency_admin)

    client.post(change_url(other_procedure), {"name": "Đổi tên trái phép"})

    other_procedure.refresh_from_db()
    assert other_procedure.name == "Cấp giấy phép lái xe"


def test_agency_admin_changes_its_procedure_and_search_follows(client, agency_admin, own_procedure):
    RequiredDocumentFactory(procedure=own_procedure, name="Đơn đề nghị")
    client.force_login(agency_admin)
    data = post_data_from(client.get(change_url(own_procedure)))
    assert data["documents-TOTAL_FORMS"] == 1
    data["name"] = "Cấp lại giấy phép khai thác nước dưới đất"
    data["documents-0-name"] = "Đơn đề nghị cấp lại"

    response = client.post(change_url(own_procedure), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    own_procedure.refresh_from_db()
    assert own_procedure.name == "Cấp lại giấy phép khai thác nước dưới đất"
    assert "cap lai giay phep khai thac nuoc duoi dat" in own_procedure.search_text
    assert list(own_procedure.documents.values_list("name", flat=True)) == ["Đơn đề nghị cấp lại"]


def test_agency_admin_can_only_pick_its_own_agency(client, agency_admin, own_procedure, other_procedure):
    client.force_login(agency_admin)
    response = client.get(ADD)
    assert list(response.context["adminform"].form.fields["agency"].queryset) == [agency_admin.agency]

    data = post_data_from(response)
    data.update(
        code="1.000777",
        name="Thủ tục của cơ quan khác",
        field=own_procedure.field_id,
        agency=other_procedure.agency_id,
        processing_time=3,
    )
    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Procedure.objects.filter(code="1.000777").exists()


def test_agency_admin_adds_a_procedure_to_its_agency(client, agency_admin, own_procedure):
    client.force_login(agency_admin)
    data = post_data_from(client.get(ADD))
    data.update(code="1.000778", name="Cấp giấy phép mới", field=own_procedure.field_id, agency=agency_admin.agency_id)
    data["processing_time"] = 3

    response = client.post(ADD, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    created = Procedure.objects.get(code="1.000778")
    assert created.agency == agency_admin.agency
    assert "cap giay phep moi" in created.search_text


@pytest.mark.parametrize("who", ["reception_officer", "processing_officer", "approver", "citizen"])
def test_users_without_staff_access_go_to_the_admin_login(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_agency_admin_cannot_manage_users(client, agency_admin):
    client.force_login(agency_admin)

    assert client.get(reverse("admin:portal_user_changelist")).status_code == 403


# --- Applicant fields and required documents edited with widgets ---------------------------------------

STORED_FIELDS = [
    {"name": "ten_co_so", "label": "Tên cơ sở", "type": "text", "required": True},
    {
        "name": "loai_hinh",
        "label": "Loại hình",
        "type": "choice",
        "required": False,
        "choices": ["Sản xuất", "Kinh doanh"],
    },
]


def with_rows(data: dict, rows: list[dict], prefix: str = "applicant_fields") -> dict:
    """`data` with the applicant-field rows replaced by `rows` (each a dict of the row form's fields)."""
    data = {key: value for key, value in data.items() if not key.startswith(f"{prefix}-")}
    data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0})
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is not False:
                data[f"{prefix}-{index}-{name}"] = value
    return data


def row(position, name, label, type="text", required=False, choices="", help=""):
    return {
        "position": position,
        "name": name,
        "label": label,
        "type": type,
        "required": required and "on",
        "choices": choices,
        "help": help,
    }


@pytest.fixture
def procedure(own_procedure):
    own_procedure.applicant_fields = STORED_FIELDS
    own_procedure.save()
    RequiredDocumentFactory(procedure=own_procedure, name="Đơn đề nghị", position=1, accepted_file_types=["pdf"])
    RequiredDocumentFactory(procedure=own_procedure, name="Bản vẽ", position=2, accepted_file_types=[])
    return own_procedure


def test_the_change_page_shows_rows_and_checkboxes_not_json(client, agency_admin, procedure):
    client.force_login(agency_admin)

    response = client.get(change_url(procedure))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="applicant_fields-0-name" value="ten_co_so"' in page
    assert 'name="applicant_fields-1-choices"' in page and "Sản xuất\nKinh doanh</textarea>" in page
    assert '<option value="choice" selected>Chọn một</option>' in page
    # 2 stored rows and 3 blank ones to add more
    assert 'name="applicant_fields-TOTAL_FORMS" value="5"' in page
    assert '<input type="checkbox" name="documents-0-accepted_file_types" value="pdf"' in page
    assert "[{&quot;name&quot;" not in page


def test_admin_reorders_adds_and_removes_fields_and_document_formats(client, agency_admin, procedure):
    client.force_login(agency_admin)
    data = post_data_from(client.get(change_url(procedure)))
    data = with_rows(
        data,
        [
            row(2, "ten_co_so", "Tên cơ sở kinh doanh", required=True),
            {**row(1, "loai_hinh", "Loại hình", "choice", choices="Sản xuất"), "DELETE": "on"},
            row(1, "so_phong", "Số phòng", "number", required=True, help="Tính cả phòng VIP"),
            row(3, "hang", "Hạng", "choice", choices="II | Hạng II\nIII | Hạng III"),
            row("", "", "", "text"),  # a blank row is left out
        ],
    )
    data["documents-1-accepted_file_types"] = ["pdf", "docx"]

    response = client.post(change_url(procedure), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    procedure.refresh_from_db()
    assert procedure.applicant_fields == [
        {"name": "so_phong", "label": "Số phòng", "type": "number", "required": True, "help": "Tính cả phòng VIP"},
        {"name": "ten_co_so", "label": "Tên cơ sở kinh doanh", "type": "text", "required": True},
        {
            "name": "hang",
            "label": "Hạng",
            "type": "choice",
            "required": False,
            "choices": [["II", "Hạng II"], ["III", "Hạng III"]],
        },
    ]
    assert list(procedure.documents.values_list("name", "accepted_file_types")) == [
        ("Đơn đề nghị", ["pdf"]),
        ("Bản vẽ", ["pdf", "docx"]),
    ]
    # What was saved shows again as the same rows
    assert 'name="applicant_fields-2-choices"' in client.get(change_url(procedure)).content.decode()
    assert "II | Hạng II\nIII | Hạng III</textarea>" in client.get(change_url(procedure)).content.decode()


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        (
            [row(1, "ho_ten", "Họ tên"), row(2, "ho_ten", "Họ tên khác")],
            "name",
            "Mã trường “ho_ten” đã có ở dòng trên.",
        ),
        ([row(1, "ho_ten", "Họ tên"), row(1, "dia_chi", "Địa chỉ")], "position", "Thứ tự 1 đã có ở dòng trên."),
        ([row(1, "họ tên", "Họ tên")], "name", "Mã trường chỉ gồm chữ không dấu"),
        ([row(1, "loai", "Loại", "choice")], "choices", "Trường “Chọn một” cần ít nhất một lựa chọn."),
        ([row(1, "loai", "Loại", "bảng")], "type", "Hãy chọn một lựa chọn hợp lệ"),
        ([row("", "ho_ten", "Họ tên")], "position", "Trường này là bắt buộc."),
    ],
)
def test_bad_rows_are_marked_and_nothing_is_saved(client, agency_admin, procedure, rows, field, message):
    client.force_login(agency_admin)
    data = with_rows(post_data_from(client.get(change_url(procedure))), rows)
    data["name"] = "Tên mới không được lưu"

    response = client.post(change_url(procedure), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["applicant_fields"] == ["Các trường thông tin người nộp có lỗi: xem các dòng được đánh dấu."]
    formset = form["applicant_fields"].value()
    assert any(message in str(error) for row_errors in formset.errors for error in row_errors.get(field, []))
    page = response.content.decode()
    assert message.split("“")[0] in page  # the row's message is on the page, beside the row
    procedure.refresh_from_db()
    assert procedure.name == "Cấp giấy phép khai thác nước mặt"
    assert procedure.applicant_fields == STORED_FIELDS


def test_two_documents_in_one_place_are_refused(client, agency_admin, procedure):
    client.force_login(agency_admin)
    data = post_data_from(client.get(change_url(procedure)))
    data["documents-1-position"] = 1
    data["documents-1-name"] = "Bản vẽ mặt bằng"

    response = client.post(change_url(procedure), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == ["Mỗi thành phần hồ sơ cần một thứ tự riêng."]
    assert formset.forms[1].errors["position"] == ["Thứ tự 1 đã có ở giấy tờ “Đơn đề nghị”."]
    assert list(RequiredDocument.objects.filter(procedure=procedure).values_list("name", "position")) == [
        ("Đơn đề nghị", 1),
        ("Bản vẽ", 2),
    ]


def test_an_unknown_document_format_is_refused(client, agency_admin, procedure):
    client.force_login(agency_admin)
    data = post_data_from(client.get(change_url(procedure)))
    data["documents-0-accepted_file_types"] = ["pdf", "exe"]

    response = client.post(change_url(procedure), data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert "accepted_file_types" in errors
    assert procedure.documents.get(position=1).accepted_file_types == ["pdf"]


def test_agency_admin_cannot_edit_another_agencys_fields(client, agency_admin, other_procedure):
    other_procedure.applicant_fields = STORED_FIELDS
    other_procedure.save()
    client.force_login(agency_admin)

    response = client.post(change_url(other_procedure), with_rows({"name": "X"}, [row(1, "chen", "Chèn vào")]))

    assert response.status_code == 302
    assert "adminform" not in (response.context or {})
    other_procedure.refresh_from_db()
    assert other_procedure.applicant_fields == STORED_FIELDS
