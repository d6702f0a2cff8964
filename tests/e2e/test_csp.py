"""The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) in a real browser: each kind of page renders and
works with no violation, i.e. nothing inline and nothing from another origin is left that the policy blocks: the
public pages, the citizen's application, the officer's dossier, the Django admin and the API docs (Swagger UI).

A violation is seen twice: Chromium's console message ("Refused to ... because it violates the following Content
Security Policy directive") and the `securitypolicyviolation` event, recorded by a script the browser injects
before the page's own (the policy does not apply to it)."""

import pytest
from playwright.sync_api import expect

from dossiers.constants import DossierStatus
from tests.factories import ProcedureFactory, RequiredDocumentFactory, dossier_in_status

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


class CspWatch:
    """The violations a page reports, from the console and from the page's own event."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def assert_none(self, where: str) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        assert not self.console and not events, f"{where}: {self.console + events}"


@pytest.fixture
def watched(new_page):
    """`watched(user)`: a page signed in as `user` (None: anonymous) whose CSP violations are recorded."""

    def make(user=None, **kwargs):
        page = new_page(user, **kwargs)
        return page, CspWatch(page)

    return make


def test_public_pages_have_no_csp_violation(watched, live_server):
    procedure = ProcedureFactory(name="Cấp giấy phép xây dựng", featured=True)
    RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị")
    page, csp = watched()

    response = page.goto("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("[aria-labelledby=featured-title] .card-grid")).to_contain_text(procedure.name)
    page.goto(f"/thu-tuc/{procedure.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(procedure.name)
    page.goto("/tra-cuu/")
    page.goto("/dang-ky/")
    expect(page.locator('[data-applicant="enterprise"]')).to_be_hidden()  # static/js/register.js ran
    page.goto("/khong-co-trang-nay/")

    csp.assert_none("public pages")


def test_citizen_apply_page_and_officer_dossier_page_have_no_csp_violation(watched, tmp_path):
    dossier, officers = dossier_in_status(DossierStatus.RECEIVED)
    procedure = ProcedureFactory(full_online=True, delivers_at_counter=True)
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])

    citizen_page, citizen_csp = watched(dossier.applicant)
    citizen_page.goto(f"/nop-ho-so/{procedure.code}/")
    expect(citizen_page.get_by_role("heading", level=1)).to_contain_text(procedure.name)
    citizen_page.goto(f"/ho-so-cua-toi/{dossier.pk}/")
    expect(citizen_page.locator("body")).to_contain_text(dossier.code)
    citizen_csp.assert_none("citizen pages")

    officer_page, officer_csp = watched(officers["reception"])
    officer_page.goto("/can-bo/")
    officer_page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    expect(officer_page.locator(".procedure-head .code")).to_have_text(dossier.code)
    # An action form that opens (a <details> element): no script or style needed beyond the static files.
    officer_page.locator("form.action-form--forward summary").click()
    officer_csp.assert_none("officer pages")


def test_django_admin_has_no_csp_violation(watched, superuser):
    dossier_in_status(DossierStatus.SUBMITTED)
    page, csp = watched(superuser, next_url="/quan-tri/")  # a superuser lands on the admin

    page.goto("/quan-tri/")
    expect(page.locator("#site-name")).to_contain_text("Quản trị Cổng Dịch vụ công")
    page.goto("/quan-tri/dossiers/dossier/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto("/quan-tri/procedures/procedure/")
    page.locator("#result_list tbody a").first.click()
    expect(page.locator("#content-main form")).to_be_visible()
    # The applicant-field editor's own script and style
    page.locator(".applicant-fields-editor").get_by_role("button", name="Thêm dòng").click()

    csp.assert_none("admin")


def test_api_docs_render_with_no_csp_violation(watched):
    page, csp = watched()

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cổng Dịch vụ công API")
    expect(page.locator(".opblock").first).to_be_visible()

    csp.assert_none("API docs")
