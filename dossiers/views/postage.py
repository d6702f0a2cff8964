"""The carrier's postage for the application page, asked as soon as the applicant picks a commune (a small fetch of
static/js/postage-quote.js; without it the postage is quoted when the draft is saved)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from procedures.addresses import active_communes
from procedures.models import PostalAddress
from procedures.selectors import procedure_get_public

from ..postage import PostageUnavailable, postage_quote

TEMPLATE = "dossiers/citizen/postage_quote.html"


@login_required
@require_GET
def quote(request, code):
    """The postage from the procedure's agency to a commune (?xa=<id>), as a piece of the page."""
    procedure = procedure_get_public(code=code)
    commune_id = request.GET.get("xa", "")
    commune = active_communes().filter(pk=commune_id).first() if commune_id.isdigit() else None
    if commune is None:
        return render(request, TEMPLATE, {"error": _("Chọn xã, phường nhận trong danh sách.")}, status=400)
    try:
        answer = postage_quote(agency=procedure.agency, address=PostalAddress(commune=commune))
    except PostageUnavailable as unavailable:
        return render(request, TEMPLATE, {"error": unavailable.message}, status=503)
    return render(request, TEMPLATE, {"quote": answer})


urlpatterns = [path("nop-ho-so/<str:code>/cuoc-buu-chinh/", quote, name="postage-quote")]
