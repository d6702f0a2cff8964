"""The home page's quick lookup, hotline and procedures to apply for online; the navigation that folds into a
menu at phone width (a <details>, so it works without JavaScript)."""

import pytest
from django.urls import reverse

from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db


def home_text(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_offers_a_quick_lookup_and_the_hotline(client, settings):
    settings.PORTAL_HOTLINE = "1900 1234"
    text = home_text(client)
    opening = f'<form class="quick-lookup" action="{reverse("dossiers:lookup")}" method="post">'
    assert opening in text
    form = text.split(opening)[1].split("</form>")[0]
    assert 'name="code"' in form and 'name="second_factor"' in form and "csrfmiddlewaretoken" in form
    assert 'href="tel:19001234"' in text and "1900 1234" in text


def test_the_quick_lookup_answers_a_missing_code_in_vietnamese(client):
    response = client.post(reverse("dossiers:lookup"), {"code": "", "second_factor": "1234"})
    assert "Hãy nhập mã hồ sơ." in response.content.decode()


def test_the_home_page_features_procedures_that_can_be_done_online(client):
    online = ProcedureFactory(accepts_online=True, online_level=4, name="Đăng ký khai sinh trực tuyến")
    paper = ProcedureFactory(accepts_online=False, online_level=2, name="Cấp phép tại quầy")
    text = home_text(client)
    section = text.split('id="online-title"')[1].split("</section>")[0]
    assert online.name in section and reverse("dossiers:apply", args=[online.code]) in section
    assert paper.name not in section


def test_the_navigation_is_a_details_menu_open_without_javascript(client):
    text = home_text(client)
    assert '<details class="main-nav__menu" open>' in text
    assert '<summary class="main-nav__toggle">Danh mục</summary>' in text
    assert "js/nav.js" in text


def test_the_home_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(8):
        ProcedureFactory(accepts_online=True)
    with django_assert_max_num_queries(6):
        home_text(client)
