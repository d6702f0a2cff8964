"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
import re
from urllib.parse import urlencode

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are
# still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM}: apt-get install chromium (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """A page in a fresh browser context (its own cookies) on each call: one per person of a walk.

    `new_page(user)` signs the user in through the real login page first; `new_page()` is anonymous;
    `viewport={"width": 390, "height": 844}` gives a phone-sized window; `next_url="/quan-tri/…"` signs in on the way
    to that page (an agency administrator's admin pages, which have not the portal's header).
    """
    from playwright.sync_api import expect

    from tests.factories import TEST_PASSWORD

    contexts = []

    def make(user=None, *, viewport=None, next_url=None):
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto(f"/dang-nhap/?{urlencode({'next': next_url})}" if next_url else "/dang-nhap/")
            page.get_by_label("Thư điện tử, số CCCD hoặc mã số thuế").fill(user.email)
            page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            if next_url:
                expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
            else:
                expect(page.locator(".account__name")).to_contain_text(user.full_name)
        return page

    yield make
    for context in contexts:
        context.close()
