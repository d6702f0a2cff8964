"""The portal and its admin name the same icon: SVG for current browsers, ICO and PNG for the rest."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

ICONS = ["img/favicon.svg", "img/favicon-32.png", "img/favicon.ico", "img/apple-touch-icon.png"]


def icon_links(html: str) -> list[str]:
    return re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', html)


@pytest.mark.parametrize("who", [None, "superuser"])
def test_every_page_links_the_icons_and_they_exist(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    url = reverse("admin:index") if who else reverse("home")

    links = icon_links(client.get(url).content.decode())

    assert links == ICONS
    for path in links:
        assert finders.find(path), path
