"""The applicant's pages: "my dossiers", a dossier's page with its supplement and withdrawal forms, and the
private file download that officers' pages link to as well. The application itself is `views.apply`.

The views stay thin: reads through `dossiers.selectors`, every write through `dossiers.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.downloads import stored_file_response

from .. import selectors, services
from ..constants import Action, DocumentKind, DossierStatus
from ..forms.applicant_fields import applicant_data_display
from ..forms.citizen import DeliveryForm, SupplementForm, WithdrawForm, delivery_initial
from ..panels import panels_for
from ..workflow import allowed_actions, fee_payable_now
from .apply import apply_url
from .refusals import refusals_as_messages

MY_DOSSIERS_PAGE_SIZE = 20


def _own_dossier(request, pk):
    return selectors.dossier_get_for_applicant(user=request.user, pk=pk)


# --- my dossiers ---------------------------------------------------------------------------------


@login_required
@require_safe
def my_dossiers(request):
    dossiers = selectors.dossier_list_for_applicant(user=request.user)
    page = Paginator(dossiers, MY_DOSSIERS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for dossier in page.object_list:  # the "cần bạn thanh toán" flag: from the row, no query
        dossier.needs_payment = fee_payable_now(dossier)
    return render(request, "dossiers/citizen/my_dossiers.html", {"page": page})


def _render_my_dossier(request, dossier, *, supplement_form=None, withdraw_form=None, status=200):
    documents = list(selectors.dossier_documents(dossier=dossier))
    requests_ = list(selectors.dossier_supplement_requests(dossier=dossier))
    open_request = _open_request(dossier, requests_)
    actions = allowed_actions(dossier=dossier, user=request.user)
    return render(
        request,
        "dossiers/citizen/my_dossier.html",
        {
            "dossier": dossier,
            "timeline": selectors.dossier_timeline_for(dossier=dossier, user=request.user),
            # The fields as they were at submission, not as the procedure reads now.
            "declared": applicant_data_display(dossier.applicant_fields, dossier.form_data),
            "application_documents": [d for d in documents if d.kind == DocumentKind.APPLICATION],
            "supplement_documents": [d for d in documents if d.kind == DocumentKind.SUPPLEMENT],
            "results": selectors.results_for_dossier(dossier=dossier, user=request.user),
            "open_request": open_request,
            "issued_documents": selectors.issued_documents_for(dossier=dossier, supplement_requests=requests_),
            "can_supplement": Action.SUPPLEMENT in actions,
            "can_withdraw": Action.WITHDRAW in actions,
            "can_change_delivery": services.delivery_changeable(dossier),
            "supplement_form": supplement_form or _supplement_form(open_request),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "panels": panels_for("applicant", request=request, dossier=dossier),
        },
        status=status,
    )


def _open_request(dossier, requests_):
    """The supplement request the applicant is to answer now, if any."""
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        return None
    return next((r for r in reversed(requests_) if r.answered_at is None and r.cancelled_at is None), None)


def _supplement_form(open_request, data=None, files=None):
    items = selectors.supplement_items_for(request=open_request) if open_request else []
    return SupplementForm(data, files, items=items)


@login_required
@require_safe
def my_dossier(request, pk):
    dossier = _own_dossier(request, pk)
    if dossier.is_draft:
        return redirect(apply_url(dossier.procedure, dossier))
    return _render_my_dossier(request, dossier)


@login_required
@require_POST
def my_dossier_supplement(request, pk):
    """The applicant answers the open supplement request: files and a note; the clock restarts."""
    dossier = _own_dossier(request, pk)
    open_request = _open_request(dossier, list(selectors.dossier_supplement_requests(dossier=dossier)))
    form = _supplement_form(open_request, request.POST, request.FILES)
    if not form.is_valid():
        return _render_my_dossier(request, dossier, supplement_form=form)
    with refusals_as_messages(request):  # a refusal of the workflow: told on the dossier's page
        try:
            with services.atomic_with_files():
                services.dossier_supplement(
                    dossier=dossier,
                    user=request.user,
                    files_by_item=form.files_by_item(),
                    note=form.cleaned_data["note"],
                )
        except ValidationError as error:  # a refused file: shown on the form
            form.add_error(None, error)
            return _render_my_dossier(request, dossier, supplement_form=form)
        messages.success(request, _("Đã gửi hồ sơ bổ sung. Thời hạn giải quyết được tính tiếp."))
    return redirect("dossiers:my-dossier", pk=dossier.pk)


def _delivery_form(dossier, data=None):
    methods = dossier.procedure.delivery_methods
    return DeliveryForm(data, delivery_methods=methods, initial=delivery_initial(dossier))


@login_required
@require_http_methods(["GET", "POST"])
def my_dossier_delivery(request, pk):
    """Change how the result goes back (by post: where), until the result is ready."""
    dossier = _own_dossier(request, pk)
    if dossier.is_draft:
        return redirect(apply_url(dossier.procedure, dossier))
    if not services.delivery_changeable(dossier):
        messages.warning(request, str(services.DELIVERY_NOT_CHANGEABLE))
        return redirect("dossiers:my-dossier", pk=dossier.pk)
    form = _delivery_form(dossier, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals_as_messages(request):  # a dossier past the point of change: told on its page
            try:
                services.dossier_change_delivery(dossier=dossier, applicant=request.user, **form.delivery())
            except ValidationError as error:  # a refused address, no postage from the carrier: on the form
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã đổi cách nhận kết quả."))
                return redirect("dossiers:my-dossier", pk=dossier.pk)
    return render(request, "dossiers/citizen/change_delivery.html", {"dossier": dossier, "form": form})


@login_required
@require_POST
def my_dossier_withdraw(request, pk):
    dossier = _own_dossier(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_my_dossier(request, dossier, withdraw_form=form)
    with refusals_as_messages(request):  # a refusal of the workflow: told on the dossier's page
        try:
            services.dossier_withdraw(dossier=dossier, applicant=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:  # a refused reason: shown on the form
            form.add_error("reason", error)
            return _render_my_dossier(request, dossier, withdraw_form=form)
        messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("dossiers:my-dossier", pk=dossier.pk)


# --- private files -------------------------------------------------------------------------------


@login_required
@require_safe
def document_download(request, dossier_pk, document_pk):
    """A dossier's file, for whoever may open the dossier (404 for anyone else), never rendered inline."""
    document = selectors.document_get_for_download(user=request.user, dossier_pk=dossier_pk, document_pk=document_pk)
    return stored_file_response(
        request, document.file, filename=document.original_name, content_type=document.content_type
    )


urlpatterns = [
    path("ho-so-cua-toi/", my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/<int:pk>/", my_dossier, name="my-dossier"),
    path("ho-so-cua-toi/<int:pk>/bo-sung/", my_dossier_supplement, name="my-dossier-supplement"),
    path("ho-so-cua-toi/<int:pk>/rut-ho-so/", my_dossier_withdraw, name="my-dossier-withdraw"),
    path("ho-so-cua-toi/<int:pk>/nhan-ket-qua/", my_dossier_delivery, name="my-dossier-delivery"),
    path("ho-so/<int:dossier_pk>/tep/<int:document_pk>/", document_download, name="document-download"),
]
