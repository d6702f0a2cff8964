"""Searching and filtering the public catalogue, with or without Vietnamese diacritics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.constants import AgencyLevel, OnlineLevel
from procedures.selectors import procedure_list_public
from tests.factories import AgencyFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def codes(procedures) -> set[str]:
    return {procedure.code for procedure in procedures}


@pytest.fixture
def building_permit():
    return ProcedureFactory(code="1.009972", name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")


@pytest.fixture
def birth_registration():
    return ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")


@pytest.mark.parametrize("query", ["giay phep", "GIẤY PHÉP", "giấy phép", "  Giay   PHEP  "])
def test_search_ignores_diacritics_case_and_spaces(building_permit, birth_registration, query):
    assert codes(procedure_list_public(query=query)) == {building_permit.code}


def test_search_with_and_without_diacritics_finds_the_same(building_permit, birth_registration):
    with_marks = procedure_list_public(query="đăng ký khai sinh")
    without_marks = procedure_list_public(query="dang ky khai sinh")

    assert codes(with_marks) == codes(without_marks) == {birth_registration.code}


def test_d_with_stroke_folds_to_d(birth_registration):
    assert codes(procedure_list_public(query="ĐĂNG")) == {birth_registration.code}
    assert codes(procedure_list_public(query="dang")) == {birth_registration.code}


def test_every_word_must_match(building_permit, birth_registration):
    assert codes(procedure_list_public(query="giay phep")) == {building_permit.code}
    assert codes(procedure_list_public(query="giay khai sinh")) == set()


def test_search_by_code(building_permit, birth_registration):
    assert codes(procedure_list_public(query="1.009972")) == {building_permit.code}


def test_inactive_procedures_are_never_listed():
    active = ProcedureFactory(name="Cấp giấy phép lái xe")
    ProcedureFactory(name="Cấp giấy phép lái tàu", inactive=True)

    assert codes(procedure_list_public()) == {active.code}
    assert codes(procedure_list_public(query="giay phep")) == {active.code}


def test_filter_by_agency_field_level_and_online_level():
    province = AgencyFactory(level=AgencyLevel.PROVINCE)
    commune = AgencyFactory(level=AgencyLevel.COMMUNE)
    justice = FieldFactory(code="ho-tich", name="Hộ tịch")
    at_province = ProcedureFactory(agency=province, online_level=OnlineLevel.FULL, delivers_online=True)
    at_commune = ProcedureFactory(agency=commune, field=justice, online_level=OnlineLevel.PARTIAL)

    assert codes(procedure_list_public(agency=province)) == {at_province.code}
    assert codes(procedure_list_public(field=justice)) == {at_commune.code}
    assert codes(procedure_list_public(agency_level=AgencyLevel.COMMUNE)) == {at_commune.code}
    assert codes(procedure_list_public(online_level=OnlineLevel.FULL)) == {at_province.code}


# The catalogue page


def test_catalogue_page_searches_without_diacritics(client, building_permit, birth_registration):
    response = client.get(reverse("procedures:catalogue"), {"q": "giay phep"})

    assert response.status_code == 200
    assert building_permit.name in response.content.decode()
    assert birth_registration.name not in response.content.decode()


@pytest.mark.parametrize("facet", ["agency", "field"])
def test_catalogue_page_filters_by_code(client, facet):
    wanted = ProcedureFactory()
    other = ProcedureFactory()

    response = client.get(reverse("procedures:catalogue"), {facet: getattr(wanted, facet).code})

    assert response.status_code == 200
    assert codes(response.context["page"].object_list) == {wanted.code}
    assert other.name not in response.content.decode()


def test_catalogue_page_ignores_an_unknown_agency_code(client, building_permit):
    response = client.get(reverse("procedures:catalogue"), {"agency": "999.99.99.Z99", "online_level": "x"})

    assert response.status_code == 200
    assert building_permit.name in response.content.decode()


def test_catalogue_page_query_count_does_not_grow_with_rows(client):
    # Expected: the agency and field choices of the filter form (2), the paginator's count (1),
    # the page's procedures with their agency and field joined (1).
    url = reverse("procedures:catalogue")
    ProcedureFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    ProcedureFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(few) == len(many) == 4, [query["sql"] for query in many.captured_queries]
