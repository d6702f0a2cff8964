"""The Django admin at /quan-tri/: agency administrators manage their own agency's procedures only."""

import pytest
from django.forms import FileField
from django.urls import reverse

from procedures.models import Procedure
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
