"""The one check of a postal address (procedures.addresses) and the commune list in the admin."""

import pytest
from django.core.exceptions import ValidationError

from procedures.addresses import postal_address_clean
from procedures.models import Commune, PostalAddress
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_a_complete_address_is_normalised_and_written_on_one_line():
    commune = CommuneFactory(name="Trần Hưng Đạo")

    address = postal_address_clean(
        commune_id=str(commune.pk),
        street=" Số 5 Lê Lợi ",
        receiver_name="Trần Thị Bình",
        receiver_phone="+84 912.345.678",
    )

    assert (address.street, address.receiver_phone) == ("Số 5 Lê Lợi", "0912345678")
    assert address.one_line == "Số 5 Lê Lợi, Phường Trần Hưng Đạo, Hưng Yên"
    assert not PostalAddress.objects.exists()  # checked, not saved


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"commune_id": "999999"}, "commune", "Chọn xã, phường nhận trong danh sách."),
        ({"commune_id": "abc"}, "commune", "Chọn xã, phường nhận trong danh sách."),
        ({"receiver_phone": "12345"}, "receiver_phone", "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
        ({"street": "  "}, "street", "Cần nhập số nhà, đường."),
        ({"receiver_name": "x" * 101}, "receiver_name", "Họ tên người nhận dài quá 100 ký tự."),
    ],
)
def test_a_bad_field_is_refused_by_name_in_vietnamese(change, field, message):
    commune = CommuneFactory()
    values = {"commune_id": commune.pk, "street": "Số 5", "receiver_name": "An", "receiver_phone": "0912345678"}

    with pytest.raises(ValidationError) as refused:
        postal_address_clean(**{**values, **change})

    assert refused.value.message_dict == {field: [message]}


def test_an_inactive_commune_is_no_longer_offered():
    commune = CommuneFactory(is_active=False)

    with pytest.raises(ValidationError):
        postal_address_clean(commune_id=commune.pk, street="Số 5", receiver_name="An", receiver_phone="0912345678")


def test_the_administrator_edits_the_commune_list(admin_client):
    commune = CommuneFactory(name="Kỳ Bá")

    response = admin_client.post(
        f"/quan-tri/procedures/commune/{commune.pk}/change/",
        {"province": commune.province_id, "code": commune.code, "name": "Trần Lãm", "kind": "ward", "is_active": ""},
    )

    assert response.status_code == 302
    commune.refresh_from_db()
    assert (commune.name, commune.is_active) == ("Trần Lãm", False)
    assert admin_client.get("/quan-tri/procedures/commune/?q=Trần").status_code == 200
    assert Commune.objects.count() == 1
