"""The root URL configuration: every app's pages, the admin and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.views import healthz, readyz
from procedures.views import home

admin.site.site_header = _("Quản trị Cổng Dịch vụ công")
admin.site.site_title = _("Quản trị Cổng Dịch vụ công")
admin.site.index_title = _("Trang quản trị")

urlpatterns = [
    # First: Django tries the patterns in order, and the public lookup's POST is the most frequent request; no page
    # pattern starts with "api/", so none can be shadowed (each "" include below costs the API a walk of its list).
    path("api/v1/", include("config.api", namespace="v1")),
    path("", home, name="home"),
    # The load balancer's probes (docs/operations.md, "Several web nodes").
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("portal.urls")),
    path("huong-dan/", include("portal.guide.urls")),
    path("thu-tuc/", include("procedures.urls")),
    path("", include("dossiers.urls")),
    path("thanh-toan/", include("payments.urls")),
    path("buu-chinh/", include("postal.urls")),
    path("", include("reporting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The API docs under the CSP: the split view serves Swagger UI's start-up script from its own URL, and the page's
    # template (templates/api/) has no inline style. (Redoc is not served: it loads fonts and its logo from CDNs,
    # runs its search in a blob: worker and writes <style> elements as it loads, none of which the policy allows.)
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

# A request Django refuses (too many files, a body too large): the portal's page, or JSON on API paths.
handler400 = "portal.errors.bad_request"

# An address no route matches: JSON `{"code": "not_found", ...}` under /api/, the portal's page elsewhere.
handler404 = "portal.api_errors.page_not_found"

# A database or Redis that cannot be reached answers 503 even where no middleware's process_exception sees the
# error (a session saved on the way out); anything else is the 500 page.
handler500 = "portal.middleware.server_error"

# The sandboxes play the outside parties over HTTP in local development and tests (production refuses them).
if settings.SANDBOXES_MOUNTED:
    urlpatterns += [
        path("sandbox/ngan-hang/", include("sandboxes.bank.urls")),
        path("sandbox/buu-dien/", include("sandboxes.carrier.urls")),
    ]
