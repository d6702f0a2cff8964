"""The user guide: every page opens for anyone, shows only screenshots the browser walk takes, and links only to
pages that exist."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve, reverse

from portal.guide import PAGES, SCREENSHOT_STATIC_DIR, SCREENSHOTS, Audience, screenshot_static_path

pytestmark = pytest.mark.django_db

GUIDE_URLS = [reverse("guide:index"), *(reverse("guide:page", args=[page.slug]) for page in PAGES)]


def main(html: str) -> str:
    """The guide's own part of the page (the header and footer are the site's)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def screenshots_shown(html: str) -> list[str]:
    prefix = re.escape(f"{settings.STATIC_URL}{SCREENSHOT_STATIC_DIR}/")
    return re.findall(rf'<img src="{prefix}([^"/]+)\.png"', html)


@pytest.mark.parametrize("url", GUIDE_URLS)
def test_every_guide_page_opens_for_anyone(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):  # plain templates: nothing to read
        response = client.get(url)

    assert response.status_code == 200
    assert "Hướng dẫn sử dụng" in response.content.decode()


def test_the_guide_has_a_page_for_each_citizen_task_and_each_officer_role():
    assert {page.slug for page in PAGES if page.audience == Audience.CITIZEN} == {
        "nop-ho-so",
        "bo-sung-ho-so",
        "nop-phi",
        "theo-doi-ho-so",
        "nhan-ket-qua",
    }
    assert {page.slug for page in PAGES if page.audience == Audience.OFFICER} == {
        "tiep-nhan",
        "chuyen-vien",
        "lanh-dao",
        "quan-tri-co-quan",
    }
    assert len({page.slug for page in PAGES}) == len(PAGES)


def test_guide_pages_show_only_screenshots_the_walk_takes_and_each_is_stored(client):
    shown = []
    for url in GUIDE_URLS:
        shown += screenshots_shown(client.get(url).content.decode())

    assert set(shown) <= set(SCREENSHOTS)
    # Every screenshot the walk takes is used somewhere, and the committed file is there to serve.
    assert set(shown) == set(SCREENSHOTS)
    assert len(shown) == len(set(shown))  # and shown once
    for name in SCREENSHOTS:
        assert finders.find(screenshot_static_path(name)), f"static/{screenshot_static_path(name)} is missing"


@pytest.mark.parametrize("url", GUIDE_URLS)
def test_every_link_of_a_guide_page_leads_to_a_page_that_exists(client, url):
    links = re.findall(r'href="([^"]+)"', main(client.get(url).content.decode()))

    assert links
    for link in links:
        path = urlsplit(link).path
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"{url} links to {link}, which no page answers")


def test_an_unknown_guide_page_is_not_found(client):
    assert client.get(reverse("guide:page", args=["khong-co"])).status_code == 404


def test_the_header_and_footer_link_the_guide(client):
    html = client.get(reverse("home")).content.decode()

    assert html.count(f'href="{reverse("guide:index")}"') == 2
