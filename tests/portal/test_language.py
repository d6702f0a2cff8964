"""Vietnamese first: the browser's language does not switch the portal; the visitor's choice does."""

from django.conf import settings
from django.urls import reverse


def test_an_english_browser_still_gets_vietnamese(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "vi"
    assert "Thủ tục hành chính" in response.content.decode()


def test_choosing_english_switches_the_pages(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(reverse("home"))

    assert page["Content-Language"] == "en"
    assert '<html lang="en"' in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert client.get(reverse("home"))["Content-Language"] == "vi"
