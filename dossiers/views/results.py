"""Electronic results: the signed PDF (and, for the dossier's officers, the unsigned source) as downloads, and the
public verification page that a result's QR code opens or where anyone uploads a PDF. The page shows whether the
signature holds (pyHanko decides), whether the file is the one the portal issued, whether that result is in force,
and the dossier's code and procedure: no other personal data."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.downloads import stored_file_response

from .. import selectors
from ..forms.results import VerifyUploadForm
from ..results_limits import verify_throttled

PDF = "application/pdf"


@login_required
@require_safe
def result_download(request, dossier_pk, result_pk):
    """The signed result, for whoever may open the dossier (404 for anyone else)."""
    dossier, file = selectors.result_get_for_download(user=request.user, dossier_pk=dossier_pk, result_pk=result_pk)
    return stored_file_response(request, file, filename=f"ket-qua-{dossier.code}.pdf", content_type=PDF)


@login_required
@require_safe
def result_source_download(request, dossier_pk, result_pk):
    """The unsigned source the specialist proposed, for the dossier's officers (404 for anyone else)."""
    dossier, file = selectors.result_get_for_download(
        user=request.user, dossier_pk=dossier_pk, result_pk=result_pk, source=True
    )
    return stored_file_response(request, file, filename=f"du-thao-ket-qua-{dossier.code}.pdf", content_type=PDF)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Upload a PDF to check it."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verification, status = None, 200
    if request.method == "POST" and form.is_valid():
        if verify_throttled(request):
            form.add_error(None, _("Bạn đã xác thực quá nhiều tệp trong một phút. Vui lòng thử lại sau."))
            status = 429
        else:
            try:
                verification = selectors.verify_pdf(selectors.read_pdf_for_verification(form.cleaned_data["file"]))
            except ValidationError as error:
                form.add_error("file", error)
                status = 400
    response = render(
        request, "dossiers/results/verify.html", {"form": form, "verification": verification}, status=status
    )
    if status == 429:
        response["Retry-After"] = "60"
    return response


@require_safe
def verify_code(request, code):
    """The result a QR code names (404 for an unknown code)."""
    verification = selectors.verify_result_code(code=code)
    return render(
        request,
        "dossiers/results/verify.html",
        {"form": VerifyUploadForm(), "verification": verification, "from_code": True},
    )


urlpatterns = [
    path("ho-so/<int:dossier_pk>/ket-qua/<int:result_pk>/", result_download, name="result-download"),
    path("ho-so/<int:dossier_pk>/ket-qua/<int:result_pk>/du-thao/", result_source_download, name="result-source"),
    path("xac-thuc-ket-qua/", verify, name="result-verify"),
    path("xac-thuc-ket-qua/<uuid:code>/", verify_code, name="result-verify-code"),
]
