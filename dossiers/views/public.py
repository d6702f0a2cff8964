"""The public lookup (the kiosk page that QR codes open) and the documents the portal issues as PDFs.

The lookup shows no personal data and answers the same message for "no such dossier" and "wrong second
factor". The second factor travels in a POST body, never in the address (which browser histories, proxies
and server logs keep); a QR code's `?code=` only fills the code in. Its rules (limits, cache) are those of
the API's lookup: both call `dossiers.lookup.lookup_attempt`.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, re_path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal import ratelimit
from portal.text import short_datetime

from .. import pdf, selectors
from ..constants import Action, DossierStatus, IssuedDocument
from ..forms.public import LookupForm
from ..lookup import LookupQuery, LookupRefused, PublicDossier, lookup_attempt
from ..lookup import cache as lookup_cache
from ..lookup.public import public_labels
from ..panels import public_sections_html
from . import lookup_frame


def lookup_not_found_message() -> str:
    """One message for an unknown code and a wrong second factor alike: the page must not tell them apart."""
    return _("Không tìm thấy hồ sơ phù hợp với thông tin đã nhập.")


def lookup_throttled_message(*, retry_after: int) -> str:
    """One message for both limits (per address, per code); it depends only on the wait, never on whether
    the code exists."""
    return _("Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau %(minutes)d phút.") % {
        "minutes": max(1, retry_after // 60)
    }


def _public_summary(found: PublicDossier) -> dict:
    """The only facts of a dossier the public page prints (no applicant, officer, note or form data)."""
    return {
        "code": found.code,
        "status": found.status,
        "status_label": found.status_label,
        "procedure": found.procedure,
        "agency": found.agency,
        "submitted_at": found.submitted_at,
        "due_at": found.due_at,
    }


def _timeline(found: PublicDossier) -> list[tuple[str, str, str]]:
    """Each step's time (ISO, local), time as shown and action's label: what the template printed through `date`,
    `short_datetime` and a label's lookup per step, written here (rendering the answer's section, at 1,000 dossiers
    in process: 0.75-1.08 ms of CPU with the filters, 0.59-0.78 ms without; the same HTML)."""
    labels = public_labels()
    steps = []
    for action, at in found.events:
        local = timezone.localtime(at)
        steps.append((local.isoformat(), short_datetime(local), labels[action]))
    return steps


def _result_html(found: PublicDossier) -> str:
    """The answer's section of the page (its facts, timeline and the other apps' sections), rendered once per cached
    answer and language (`lookup.cache.rendered_once`)."""

    def render() -> str:
        context = {
            "result": _public_summary(found),
            "timeline": _timeline(found),
            "sections": public_sections_html(found.sections),
        }
        return render_to_string("dossiers/public/lookup_result.html", context)

    return mark_safe(lookup_cache.rendered_once(found, "result", render))  # noqa: S308 - our template escaped it


def _render_lookup(request, form, *, message="", found: PublicDossier | None = None, status=200):
    context = {"form": form, "message": message, "result": None}
    if found is not None:
        context |= {"result": _public_summary(found), "result_html": _result_html(found)}
    return render(request, lookup_frame.TEMPLATE, context, status=status)


def _answer(request, *, code: str, message="", found: PublicDossier | None = None, status=200):
    """The page answering a POST: the form again with `code` (the digits are not put back, for the next person at
    the kiosk), and the dossier `found` or else `message`; from the page's frame where it applies."""
    if lookup_frame.applies(request, code=code):
        result_html = _result_html(found) if found is not None else ""
        return lookup_frame.render(request, code=code, message=message, result_html=result_html, status=status)
    return _render_lookup(request, LookupForm(initial={"code": code}), message=message, found=found, status=status)


def _throttled(request, *, code: str, retry_after: int):
    message = lookup_throttled_message(retry_after=retry_after)
    response = _answer(request, code=code[:40], message=message, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    if request.method == "GET":
        # A QR code opens ?code=…: the form waits for the second factor, which is never read from the address.
        return _render_lookup(request, LookupForm(initial={"code": request.GET.get("code", "")[:40]}))

    # Every POST is an attempt, counted against the address whether the form is valid or not.
    form = LookupForm(request.POST)
    query = LookupQuery(**form.cleaned_data) if form.is_valid() else None
    try:
        found = lookup_attempt(client=ratelimit.client_address(request), query=query)
    except LookupRefused as refused:
        code = query.code if query is not None else request.POST.get("code", "")
        return _throttled(request, code=code, retry_after=refused.retry_after)
    if query is None:
        return _render_lookup(request, form)
    if found is None:
        return _answer(request, code=query.code, message=lookup_not_found_message())
    return _answer(request, code=query.code, found=found)


# --- issued documents ---------------------------------------------------------------------------


def _pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by a shared cache
    return response


def _receipt(dossier) -> bytes:
    event = selectors.dossier_last_event(dossier=dossier, action=Action.RECEIVE)
    return pdf.receipt_pdf(
        dossier,
        components=selectors.dossier_received_components(dossier=dossier),
        receiving_officer=event.actor if event is not None else None,
    )


def _supplement_request(dossier) -> bytes:
    request = selectors.supplement_request_latest(dossier=dossier)
    if request is None:
        raise Http404
    return pdf.supplement_request_pdf(dossier, request=request)


def _refusal(dossier) -> bytes:
    return pdf.refusal_pdf(
        dossier, event=selectors.dossier_last_event(dossier=dossier, to_status=DossierStatus.REFUSED)
    )


def _apology(dossier) -> bytes:
    event = selectors.dossier_last_event(dossier=dossier, action=Action.APOLOGIZE)
    return pdf.apology_pdf(dossier, event=event)


ISSUED_DOCUMENTS = {
    # kind in the URL: (file name prefix, builder)
    IssuedDocument.RECEIPT: ("giay-tiep-nhan", _receipt),
    IssuedDocument.SUPPLEMENT_REQUEST: ("phieu-yeu-cau-bo-sung", _supplement_request),
    IssuedDocument.REFUSAL: ("phieu-tu-choi", _refusal),
    IssuedDocument.APOLOGY: ("phieu-xin-loi", _apology),
}


@login_required
@require_GET
def issued_document(request, pk, kind):
    """A document issued for a dossier, to its applicant and the officers of its agency; 404 for a document
    not issued (yet) for the dossier (`selectors.issued_documents_for`)."""
    if kind not in ISSUED_DOCUMENTS:
        raise Http404
    dossier = selectors.dossier_get_for_user(user=request.user, pk=int(pk))
    if kind not in selectors.issued_documents_for(dossier=dossier):
        raise Http404
    prefix, build = ISSUED_DOCUMENTS[kind]
    return _pdf_response(build(dossier), filename=f"{prefix}-{dossier.code}.pdf")


@login_required
@require_GET
def control_sheet(request, pk):
    """The processing control sheet: the office's own record, so officers of the agency only."""
    dossier = selectors.dossier_get_for_agency_officer(user=request.user, pk=pk)
    rows = selectors.dossier_control_sheet(dossier=dossier)
    return render(request, "dossiers/public/control_sheet.html", {"dossier": dossier, "rows": rows})


@login_required
@require_GET
def control_sheet_pdf(request, pk):
    dossier = selectors.dossier_get_for_agency_officer(user=request.user, pk=pk)
    content = pdf.control_sheet_pdf(dossier, rows=selectors.dossier_control_sheet(dossier=dossier))
    return _pdf_response(content, filename=f"phieu-kiem-soat-{dossier.code}.pdf")


urlpatterns = [
    path("tra-cuu/", lookup, name="lookup"),
    re_path(
        rf"^ho-so/(?P<pk>[0-9]+)/giay-to/(?P<kind>{'|'.join(IssuedDocument.values)})\.pdf$",
        issued_document,
        name="issued-document",
    ),
    path("ho-so/<int:pk>/phieu-kiem-soat/", control_sheet, name="control-sheet"),
    path("ho-so/<int:pk>/phieu-kiem-soat.pdf", control_sheet_pdf, name="control-sheet-pdf"),
]
