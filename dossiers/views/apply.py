"""The online application: start or resume a draft, save it with its uploads, review it, submit it.

The views stay thin: reads through `dossiers.selectors`, every write through `dossiers.services`, inside
one transaction per request so that a refused file or field leaves nothing written.
"""

import uuid
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from portal.form_errors import error_summary
from procedures.selectors import procedure_get_public

from .. import selectors, services
from ..constants import DocumentKind
from ..forms.address import postal_address_initial
from ..forms.applicant_fields import (
    ApplicantDataForm,
    applicant_data_display,
    applicant_data_initial,
    applicant_data_missing,
)
from ..forms.citizen import ApplicationForm, ComponentFilesForm, component_field_name, delivery_initial
from ..models import DossierDocument
from ..panels import panels_for
from .refusals import REFUSALS, refusal_text, refusals_as_messages

APPLY_ACTIONS = {"save", "review", "submit", "remove", "remove_pending"}


def apply_url(procedure, dossier=None) -> str:
    """The application page of `procedure`, on `dossier`'s draft when given."""
    url = reverse("dossiers:apply", args=[procedure.code])
    return f"{url}?ho_so={dossier.pk}" if dossier is not None else url


def _application_documents(dossier) -> list:
    """The files the draft holds for the procedure's components (none before the draft is saved)."""
    if dossier is None or not dossier.pk:
        return []
    return [d for d in selectors.dossier_documents(dossier=dossier) if d.kind == DocumentKind.APPLICATION]


def _submitted(request, dossier):
    messages.success(request, _("Đã nộp hồ sơ. Mã hồ sơ %(code)s — hãy ghi lại để tra cứu.") % {"code": dossier.code})
    return redirect("dossiers:my-dossier", pk=dossier.pk)


def _application_forms(
    procedure, *, data=None, files=None, dossier=None, user=None, enforce_required=False, pending=()
):
    """The three forms of the page (application, declared data, files), bound or with initial values; `pending` are
    the files kept from a refused request of the same form, which count as chosen."""
    components = list(procedure.documents.all())
    documents = _application_documents(dossier)
    methods = procedure.delivery_methods
    if dossier is not None:
        initial = {
            "client_token": dossier.client_token,
            "applicant_phone": dossier.applicant_phone,
            "applicant_email": dossier.applicant_email,
            "applicant_address": dossier.applicant_address,
            **delivery_initial(dossier),
        }
        data_initial = applicant_data_initial(procedure.applicant_fields, dossier.form_data)
    else:
        initial = {
            "client_token": uuid.uuid4(),
            "applicant_phone": user.phone,
            "applicant_email": user.email,
            "delivery_method": methods[0],
            **postal_address_initial(
                None, receiver_name=user.organization_name or user.full_name, receiver_phone=user.phone
            ),
        }
        data_initial = {}
    application = ApplicationForm(data, delivery_methods=methods, enforce_required=enforce_required, initial=initial)
    declared = ApplicantDataForm(
        data, prefix="data", spec=procedure.applicant_fields, enforce_required=enforce_required, initial=data_initial
    )
    existing = Counter(d.required_document_id for d in documents)
    existing.update(item.required_document_id for item in pending)
    if data is not None:  # a file taken from the wallet fills its component as an upload does
        existing.update({c.pk: len(data.getlist(wallet_field_name(c))) for c in components})
    uploads = ComponentFilesForm(
        data,
        files,
        components=components,
        existing_counts=existing,
        enforce_required=enforce_required,
    )
    return application, declared, uploads, components, documents


def wallet_field_name(component) -> str:
    """The checkboxes of the wallet's files offered for `component` (their values: WalletItem.ref)."""
    return f"kho_{component.pk}"


def _wallet_choices(request, components) -> dict[int, list]:
    """The items of the user's wallet each component accepts (by the type they were stored with)."""
    wallet = selectors.wallet_items_for(user=request.user)
    return {c.pk: [item for item in wallet if item.file_type in c.accepted_types_or_default] for c in components}


def _reused_by_component(request, components) -> dict[int, list]:
    """The wallet items the form chose per component; 404 for one that is not the user's own."""
    return {
        c.pk: [
            selectors.wallet_item_get(user=request.user, ref=ref) for ref in request.POST.getlist(wallet_field_name(c))
        ]
        for c in components
        if request.POST.getlist(wallet_field_name(c))
    }


def _render_apply(request, procedure, *, dossier, application, declared, uploads, components, documents, pending=()):
    wallet = _wallet_choices(request, components)
    rows = [
        {
            "component": component,
            "field": uploads[component_field_name(component)],
            "documents": [d for d in documents if d.required_document_id == component.pk],
            "pending": [item for item in pending if item.required_document_id == component.pk],
            "wallet": wallet[component.pk],
            "wallet_field": wallet_field_name(component),
        }
        for component in components
    ]
    user = request.user
    if dossier is not None:
        applicant_name, applicant_id_number = dossier.applicant_name, dossier.applicant_id_number
    else:  # what dossier_start_draft will copy from the account
        applicant_name = user.organization_name or user.full_name
        applicant_id_number = user.tax_code or user.citizen_id or ""
    return render(
        request,
        "dossiers/citizen/apply.html",
        {
            "procedure": procedure,
            "dossier": dossier,
            "applicant_name": applicant_name,
            "applicant_id_number": applicant_id_number,
            "application": application,
            "declared": declared,
            "uploads": uploads,
            "component_rows": rows,
            "has_errors": bool(application.errors or declared.errors or uploads.errors),
            "error_summary": error_summary(_fields_in_page_order(application, declared, uploads)),
            "files_were_kept": bool(pending),
        },
    )


def _fields_in_page_order(application, declared, uploads) -> list:
    """The bound fields as apply.html shows them: the applicant, the declared data, the files, then the delivery (the
    application's other fields)."""
    applicant = ["applicant_phone", "applicant_email", "applicant_address"]
    delivery = [name for name in application.fields if name not in {"client_token", *applicant}]
    return [*(application[name] for name in applicant), *declared, *uploads, *(application[name] for name in delivery)]


@login_required
def apply(request, code):
    """Start, resume, save, review and submit an online application for a procedure."""
    procedure = procedure_get_public(code=code)
    if not procedure.accepts_online:
        return render(request, "dossiers/citizen/not_online.html", {"procedure": procedure}, status=404)
    if request.method == "POST":
        return _apply_post(request, procedure)

    dossier = None
    if request.GET.get("ho_so"):
        dossier = selectors.dossier_draft_for_applicant(user=request.user, procedure=procedure, pk=request.GET["ho_so"])
    elif not request.GET.get("moi"):
        drafts = list(selectors.dossier_drafts_for_applicant(user=request.user, procedure=procedure)[:20])
        if drafts:
            return render(request, "dossiers/citizen/apply_drafts.html", {"procedure": procedure, "drafts": drafts})
    pending = _pending(request, procedure, dossier.client_token) if dossier is not None else []
    application, declared, uploads, components, documents = _application_forms(
        procedure, dossier=dossier, user=request.user, pending=pending
    )
    return _render_apply(
        request,
        procedure,
        dossier=dossier,
        application=application,
        declared=declared,
        uploads=uploads,
        components=components,
        documents=documents,
        pending=pending,
    )


def _pending(request, procedure, client_token) -> list:
    return list(selectors.pending_uploads_for(user=request.user, client_token=client_token, procedure=procedure))


def _apply_post(request, procedure):
    user = request.user
    action = "remove" if request.POST.get("remove") else request.POST.get("action", "save")
    if request.POST.get("remove_pending"):
        action = "remove_pending"
    if action not in APPLY_ACTIONS:
        action = "save"
    try:
        token = uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        messages.error(request, _("Phiên nộp hồ sơ không hợp lệ. Hãy tải lại trang."))
        return redirect(apply_url(procedure))

    if action == "remove_pending":  # taken off before the draft is saved with the rest of the form
        _discard_pending(request, token)
    reused = _reused_by_component(request, list(procedure.documents.all()))
    pending = _pending(request, procedure, token)
    dossier = selectors.dossier_of_form(user=user, procedure=procedure, client_token=token)
    if dossier is not None and not dossier.is_draft:
        return _already_submitted(request, dossier, action=action)
    forms_ = _application_forms(
        procedure,
        data=request.POST,
        files=request.FILES,
        dossier=dossier,
        user=user,
        enforce_required=action == "submit",
        pending=pending,
    )
    application, declared, uploads = forms_[:3]
    if not (application.is_valid() & declared.is_valid() & uploads.is_valid()):
        _keep_checked_files(request, token, uploads=uploads)
        return _rerender_after_rollback(request, procedure, dossier, forms_, token=token)
    delivery = None
    try:
        # The carrier is asked for the postage before the request's transaction opens.
        delivery = services.application_delivery(
            applicant=user, procedure=procedure, client_token=token, **application.delivery(), submit=action == "submit"
        )
        # One transaction for the request (with its files): a refused step leaves nothing written.
        with services.atomic_with_files():
            # The form's token makes this idempotent: a retried or doubled request finds the same dossier.
            dossier = services.dossier_start_draft(applicant=user, procedure=procedure, client_token=token)
            if not dossier.is_draft:
                return _already_submitted(request, dossier, action=action)
            dossier = services.dossier_apply(
                applicant=user,
                procedure=procedure,
                client_token=token,
                form_data=declared.to_json(),
                **application.delivery(),
                delivery=delivery,
                applicant_address=application.cleaned_data["applicant_address"],
                applicant_phone=application.cleaned_data["applicant_phone"],
                applicant_email=application.cleaned_data["applicant_email"],
                files_by_component={component.pk: files for component, files in uploads.files_by_component()},
                reused_by_component=reused,
                submit=action == "submit",
            )
            if action == "remove":
                _remove_document(dossier=dossier, user=user, document_id=request.POST["remove"])
    except REFUSALS as error:
        # A refusal from a service (rolled back with everything else of the request), or a race with
        # another request of the same form that has just submitted the dossier.
        submitted = _submitted_meanwhile(user=user, dossier=dossier)
        if submitted is not None:
            return _already_submitted(request, submitted, action=action)
        if delivery is not None and dossier is None:  # refused by dossier_start_draft: the form cannot go on
            messages.error(request, refusal_text(error))
            return redirect(apply_url(procedure))
        messages.error(request, _("Hồ sơ chưa được lưu: %(reason)s") % {"reason": refusal_text(error)})
        return _rerender_after_rollback(request, procedure, dossier, forms_, token=token)

    if action == "submit":
        return _submitted(request, dossier)
    if action == "review":
        return redirect("dossiers:apply-review", code=procedure.code, pk=dossier.pk)
    if action in ("remove", "remove_pending"):
        messages.success(request, _("Đã xoá tệp khỏi bản nháp."))
        return redirect(apply_url(procedure, dossier) + "#thanh-phan")
    messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại để hoàn thiện và nộp sau."))
    return redirect(apply_url(procedure, dossier))


def _discard_pending(request, token) -> None:
    try:
        pk = int(request.POST["remove_pending"])
    except ValueError:
        pk = None
    try:
        services.pending_upload_discard(applicant=request.user, client_token=token, pk=pk)
    except ValidationError as error:  # already stored or discarded by an earlier request: nothing to take off
        messages.warning(request, error.messages[0])


def _keep_checked_files(request, token, *, uploads) -> None:
    """Keep the files that passed their check in a request refused for another reason, for the next request."""
    files = [(component, upload) for component, files in uploads.files_by_component() for upload in files]
    if files:
        services.pending_uploads_keep(applicant=request.user, client_token=token, files=files)


def _remove_document(*, dossier, user, document_id) -> None:
    try:
        services.dossier_remove_document(dossier=dossier, applicant=user, document_id=int(document_id))
    except (ValueError, DossierDocument.DoesNotExist):
        raise ValidationError(_("Không tìm thấy tệp cần xoá trong bản nháp.")) from None


def _submitted_meanwhile(*, user, dossier):
    """The dossier, if another request has submitted it while this one was refused."""
    if dossier is None or not dossier.pk:
        return None
    try:
        current = selectors.dossier_get_for_applicant(user=user, pk=dossier.pk)
    except Http404:
        return None
    return None if current.is_draft else current


def _already_submitted(request, dossier, *, action):
    """A second submit (double click, retried request) answers like the first; other actions are refused."""
    if action == "submit":
        return _submitted(request, services.dossier_submit(dossier=dossier, applicant=request.user))
    messages.warning(request, _("Hồ sơ này đã được nộp nên không sửa được nữa."))
    return redirect("dossiers:my-dossier", pk=dossier.pk)


def _rerender_after_rollback(request, procedure, dossier, forms_, *, token):
    """Show the bound forms with their errors; the dossier as it is in the database (a draft created by
    this request was rolled back with the rest, and the form's token will create it next time)."""
    saved = None
    if dossier is not None and dossier.pk:
        try:
            saved = selectors.dossier_draft_for_applicant(user=request.user, procedure=procedure, pk=dossier.pk)
        except Http404:
            saved = None
    application, declared, uploads, components, _documents = forms_
    documents = _application_documents(saved)
    return _render_apply(
        request,
        procedure,
        dossier=saved,
        application=application,
        declared=declared,
        uploads=uploads,
        components=components,
        documents=documents,
        pending=_pending(request, procedure, token),
    )


@login_required
def apply_review(request, code, pk):
    """Everything the applicant is about to submit, with a button to submit it."""
    procedure = procedure_get_public(code=code)
    dossier = selectors.dossier_get_for_applicant(user=request.user, pk=pk)
    if dossier.procedure_id != procedure.pk:
        raise Http404
    if request.method == "POST":
        with refusals_as_messages(request):
            return _submitted(request, services.dossier_submit(dossier=dossier, applicant=request.user))
        return redirect("dossiers:apply-review", code=procedure.code, pk=dossier.pk)
    if not dossier.is_draft:
        return redirect("dossiers:my-dossier", pk=dossier.pk)

    components = list(procedure.documents.all())
    documents = _application_documents(dossier)
    rows = [{"component": c, "documents": [d for d in documents if d.required_document_id == c.pk]} for c in components]
    declared = applicant_data_display(procedure.applicant_fields, dossier.form_data)
    missing_fields = applicant_data_missing(procedure.applicant_fields, dossier.form_data)
    return render(
        request,
        "dossiers/citizen/apply_review.html",
        {
            "procedure": procedure,
            "dossier": dossier,
            "declared": declared,
            "component_rows": rows,
            "missing_components": [
                r["component"].name for r in rows if r["component"].is_required and not r["documents"]
            ],
            "missing_fields": missing_fields,
            "panels": panels_for("apply_review", request=request, dossier=dossier),
        },
    )


urlpatterns = [
    path("nop-ho-so/<str:code>/", apply, name="apply"),
    path("nop-ho-so/<str:code>/xem-lai/<int:pk>/", apply_review, name="apply-review"),
]
