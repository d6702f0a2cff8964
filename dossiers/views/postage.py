"""The carrier's postage for the application page, asked as soon as the applicant picks a commune (a small fetch of
static/js/postage-quote.js; without it the postage is quoted when the draft is saved). Each user's quotes are
counted (portal.ratelimit: Redis down answers 503) and a price is kept a few minutes per pair of communes
(dossiers.postage.postage_quote_cached), so a script or a hurried user does not hammer the carrier."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import ratelimit
from procedures.addresses import active_communes
from procedures.models import PostalAddress
from procedures.selectors import procedure_get_public

from ..postage import PostageUnavailable, postage_quote_cached

TEMPLATE = "dossiers/citizen/postage_quote.html"
QUOTE_LIMIT_SCOPE = "postage-quote"
QUOTES_PER_WINDOW = 30  # a page's worth of commune choices, and more
QUOTE_WINDOW_SECONDS = 60


@login_required
@require_GET
def quote(request, code):
    """The postage from the procedure's agency to a commune (?xa=<id>), as a piece of the page."""
    procedure = procedure_get_public(code=code)
    if not ratelimit.hit(
        scope=QUOTE_LIMIT_SCOPE, key=str(request.user.pk), limit=QUOTES_PER_WINDOW, window_seconds=QUOTE_WINDOW_SECONDS
    ):
        error = _("Bạn đã hỏi cước quá nhiều lần trong ít phút. Hãy thử lại sau một phút.")
        return render(request, TEMPLATE, {"error": error}, status=429)
    commune_id = request.GET.get("xa", "")
    commune = active_communes().filter(pk=commune_id).first() if commune_id.isdigit() else None
    if commune is None:
        return render(request, TEMPLATE, {"error": _("Chọn xã, phường nhận trong danh sách.")}, status=400)
    try:
        answer = postage_quote_cached(agency=procedure.agency, address=PostalAddress(commune=commune))
    except PostageUnavailable as unavailable:
        return render(request, TEMPLATE, {"error": unavailable.message}, status=503)
    return render(request, TEMPLATE, {"quote": answer})


urlpatterns = [path("nop-ho-so/<str:code>/cuoc-buu-chinh/", quote, name="postage-quote")]
