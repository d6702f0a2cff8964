"""The applicant's pages: apply (draft, uploads, review, submit), "my dossiers", a dossier's page with its
supplement and withdrawal forms, and the private file download that officers' pages link to as well.

The views stay thin: reads through `dossiers.selectors`, every write through `dossiers.services`, inside
one transaction per request so that a refused file or field leaves nothing written.
"""

import uuid
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from procedures.selectors import procedure_get_public

from .. import selectors, services
from ..constants import Action, Actor, DocumentKind, DossierStatus
from ..forms.applicant_fields import (
    ApplicantDataForm,
    applicant_data_display,
    applicant_data_initial,
    applicant_data_missing,
)
from ..forms.citizen import ApplicationForm, ComponentFilesForm, SupplementForm, WithdrawForm, component_field_name
from ..models import DossierDocument
from ..workflow import TransitionNotAllowed, allowed_actions

MY_DOSSIERS_PAGE_SIZE = 20
APPLY_ACTIONS = {"save", "review", "submit", "remove"}

# Who performs each action, shown in the applicant's timeline instead of the officer's name.
ACTION_ACTOR = {
    Action.RECEIVE: Actor.RECEPTION,
    Action.REFUSE: Actor.RECEPTION,
    Action.FORWARD: Actor.RECEPTION,
    Action.DELIVER: Actor.RECEPTION,
    Action.TAKE: Actor.PROCESSING,
    Action.PROPOSE: Actor.PROCESSING,
    Action.APPROVE: Actor.APPROVER,
    Action.SEND_BACK: Actor.APPROVER,
}
# Notes written for the applicant; the others (forwarding, proposals, approvals) are internal.
PUBLIC_NOTE_ACTIONS = {
    Action.SUBMIT,
    Action.RECEIVE,
    Action.REQUEST_SUPPLEMENT,
    Action.REFUSE,
    Action.SUPPLEMENT,
    Action.WITHDRAW,
    Action.DELIVER,
    Action.APOLOGIZE,
}


def _error_text(error: Exception) -> str:
    if isinstance(error, TransitionNotAllowed):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- apply -------------------------------------------------------------------------------------


def _apply_url(procedure, dossier=None) -> str:
    url = reverse("dossiers:apply", args=[procedure.code])
    return f"{url}?ho_so={dossier.pk}" if dossier is not None else url


def _application_forms(procedure, *, data=None, files=None, dossier=None, user=None, enforce_required=False):
    """The three forms of the page (application, declared data, files), bound or with initial values."""
    components = list(procedure.documents.all())
    documents = (
        [d for d in selectors.dossier_documents(dossier=dossier) if d.kind == DocumentKind.APPLICATION]
        if dossier is not None and dossier.pk
        else []
    )
    methods = services.allowed_delivery_methods(procedure)
    if dossier is not None:
        initial = {
            "client_token": dossier.client_token,
            "applicant_phone": dossier.applicant_phone,
            "applicant_address": dossier.applicant_address,
            "delivery_method": dossier.delivery_method,
            "delivery_address": dossier.delivery_address,
        }
        data_initial = applicant_data_initial(procedure.applicant_fields, dossier.form_data)
    else:
        initial = {"client_token": uuid.uuid4(), "applicant_phone": user.phone, "delivery_method": methods[0]}
        data_initial = {}
    application = ApplicationForm(data, delivery_methods=methods, enforce_required=enforce_required, initial=initial)
    declared = ApplicantDataForm(
        data, prefix="data", spec=procedure.applicant_fields, enforce_required=enforce_required, initial=data_initial
    )
    uploads = ComponentFilesForm(
        data,
        files,
        components=components,
        existing_counts=Counter(d.required_document_id for d in documents),
        enforce_required=enforce_required,
    )
    return application, declared, uploads, components, documents


def _render_apply(request, procedure, *, dossier, application, declared, uploads, components, documents):
    rows = [
        {
            "component": component,
            "field": uploads[component_field_name(component)],
            "documents": [d for d in documents if d.required_document_id == component.pk],
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
            "files_were_chosen": request.method == "POST" and bool(request.FILES),
        },
    )


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
    application, declared, uploads, components, documents = _application_forms(
        procedure, dossier=dossier, user=request.user
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
    )


class _FormInvalid(Exception):
    """Raised inside the request's transaction to roll it back when a form is invalid."""


def _apply_post(request, procedure):
    user = request.user
    action = "remove" if request.POST.get("remove") else request.POST.get("action", "save")
    if action not in APPLY_ACTIONS:
        action = "save"
    try:
        token = uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        messages.error(request, _("Phiên nộp hồ sơ không hợp lệ. Hãy tải lại trang."))
        return redirect(_apply_url(procedure))

    forms_ = dossier = None
    try:
        # One transaction for the request (with its files): a refused step leaves nothing written.
        with services.atomic_with_files():
            # The form's token makes this idempotent: a retried or doubled request finds the same dossier.
            dossier = services.dossier_start_draft(applicant=user, procedure=procedure, client_token=token)
            if not dossier.is_draft:
                return _already_submitted(request, dossier, action=action)
            forms_ = _application_forms(
                procedure,
                data=request.POST,
                files=request.FILES,
                dossier=dossier,
                user=user,
                enforce_required=action == "submit",
            )
            application, declared, uploads = forms_[:3]
            if not (application.is_valid() & declared.is_valid() & uploads.is_valid()):
                raise _FormInvalid
            dossier = services.dossier_apply(
                applicant=user,
                procedure=procedure,
                client_token=token,
                form_data=declared.to_json(),
                delivery_method=application.cleaned_data["delivery_method"],
                delivery_address=application.cleaned_data.get("delivery_address", ""),
                applicant_address=application.cleaned_data["applicant_address"],
                applicant_phone=application.cleaned_data["applicant_phone"],
                files_by_component={component.pk: files for component, files in uploads.files_by_component()},
                submit=action == "submit",
            )
            if action == "remove":
                _remove_document(dossier=dossier, user=user, document_id=request.POST["remove"])
    except _FormInvalid:
        return _rerender_after_rollback(request, procedure, dossier, forms_)
    except (ValidationError, TransitionNotAllowed) as error:
        # A refusal from a service (rolled back with everything else of the request), or a race with
        # another request of the same form that has just submitted the dossier.
        submitted = _submitted_meanwhile(user=user, dossier=dossier)
        if submitted is not None:
            return _already_submitted(request, submitted, action=action)
        if forms_ is None:
            messages.error(request, _error_text(error))
            return redirect(_apply_url(procedure))
        messages.error(request, _("Hồ sơ chưa được lưu: %(reason)s") % {"reason": _error_text(error)})
        return _rerender_after_rollback(request, procedure, dossier, forms_)

    if action == "submit":
        messages.success(
            request,
            _("Đã nộp hồ sơ. Mã hồ sơ %(code)s — hãy ghi lại để tra cứu.") % {"code": dossier.code},
        )
        return redirect("dossiers:my-dossier", pk=dossier.pk)
    if action == "review":
        return redirect("dossiers:apply-review", code=procedure.code, pk=dossier.pk)
    if action == "remove":
        messages.success(request, _("Đã xoá tệp khỏi bản nháp."))
        return redirect(_apply_url(procedure, dossier) + "#thanh-phan")
    messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại để hoàn thiện và nộp sau."))
    return redirect(_apply_url(procedure, dossier))


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
        dossier = services.dossier_submit(dossier=dossier, applicant=request.user)
        messages.success(
            request,
            _("Đã nộp hồ sơ. Mã hồ sơ %(code)s — hãy ghi lại để tra cứu.") % {"code": dossier.code},
        )
    else:
        messages.warning(request, _("Hồ sơ này đã được nộp nên không sửa được nữa."))
    return redirect("dossiers:my-dossier", pk=dossier.pk)


def _rerender_after_rollback(request, procedure, dossier, forms_):
    """Show the bound forms with their errors; the dossier as it is in the database (a draft created by
    this request was rolled back with the rest, and the form's token will create it next time)."""
    saved = None
    if dossier is not None and dossier.pk:
        try:
            saved = selectors.dossier_draft_for_applicant(user=request.user, procedure=procedure, pk=dossier.pk)
        except Http404:
            saved = None
    application, declared, uploads, components, _documents = forms_
    documents = (
        [d for d in selectors.dossier_documents(dossier=saved) if d.kind == DocumentKind.APPLICATION] if saved else []
    )
    return _render_apply(
        request,
        procedure,
        dossier=saved,
        application=application,
        declared=declared,
        uploads=uploads,
        components=components,
        documents=documents,
    )


def _own_dossier(request, pk):
    return selectors.dossier_get_for_applicant(user=request.user, pk=pk)


@login_required
def apply_review(request, code, pk):
    """Everything the applicant is about to submit, with a button to submit it."""
    procedure = procedure_get_public(code=code)
    dossier = _own_dossier(request, pk)
    if dossier.procedure_id != procedure.pk:
        raise Http404
    if request.method == "POST":
        try:
            dossier = services.dossier_submit(dossier=dossier, applicant=request.user)
        except (ValidationError, TransitionNotAllowed) as error:
            messages.error(request, _error_text(error))
            return redirect("dossiers:apply-review", code=procedure.code, pk=dossier.pk)
        messages.success(
            request, _("Đã nộp hồ sơ. Mã hồ sơ %(code)s — hãy ghi lại để tra cứu.") % {"code": dossier.code}
        )
        return redirect("dossiers:my-dossier", pk=dossier.pk)
    if not dossier.is_draft:
        return redirect("dossiers:my-dossier", pk=dossier.pk)

    components = list(procedure.documents.all())
    documents = [d for d in selectors.dossier_documents(dossier=dossier) if d.kind == DocumentKind.APPLICATION]
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
        },
    )


# --- my dossiers ---------------------------------------------------------------------------------


@login_required
@require_safe
def my_dossiers(request):
    dossiers = selectors.dossier_list_for_applicant(user=request.user)
    page = Paginator(dossiers, MY_DOSSIERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/citizen/my_dossiers.html", {"page": page})


def _timeline_rows(events, dossier) -> list[dict]:
    agency = dossier.agency.name
    rows = []
    for event in events:
        if event.actor_id is not None and event.actor_id == dossier.applicant_id:
            who = _("Bạn")
        elif event.action == Action.REQUEST_SUPPLEMENT:
            role = Actor.PROCESSING if event.from_status == DossierStatus.PROCESSING else Actor.RECEPTION
            who = f"{role.label} – {agency}"
        elif event.action in ACTION_ACTOR:
            who = f"{ACTION_ACTOR[event.action].label} – {agency}"
        else:
            who = agency
        rows.append(
            {
                "at": event.created_at,
                "action": Action(event.action).label,
                "to_status": DossierStatus(event.to_status).label,
                "who": who,
                "note": event.note if event.action in PUBLIC_NOTE_ACTIONS else "",
                "due_at": event.due_at,
            }
        )
    return rows


ISSUED_DOCUMENTS = [
    ("receipt", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    ("supplement-request", gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
    ("refusal", gettext_lazy("Phiếu từ chối tiếp nhận, giải quyết hồ sơ")),
    ("apology", gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả")),
]


def _issued_documents(dossier, *, has_supplement_request: bool) -> list[dict]:
    applies = {
        "receipt": dossier.received_at is not None,
        "supplement-request": has_supplement_request,
        "refusal": dossier.status == DossierStatus.REFUSED,
        "apology": dossier.apologized_at is not None,
    }
    links = []
    for kind, label in ISSUED_DOCUMENTS:
        if not applies[kind]:
            continue
        try:
            url = reverse("dossiers:issued-document", args=[dossier.pk, kind])
        except NoReverseMatch:  # the issued documents are served by another module; absent, no link
            continue
        links.append({"kind": kind, "label": label, "url": url})
    return links


def _render_my_dossier(request, dossier, *, supplement_form=None, withdraw_form=None, status=200):
    events = list(selectors.dossier_timeline(dossier=dossier))
    documents = list(selectors.dossier_documents(dossier=dossier))
    requests_ = list(selectors.dossier_supplement_requests(dossier=dossier))
    open_request = next((r for r in reversed(requests_) if r.answered_at is None), None)
    actions = allowed_actions(dossier=dossier, user=request.user)
    result_visible = selectors.result_visible_to_applicant(dossier=dossier)
    return render(
        request,
        "dossiers/citizen/my_dossier.html",
        {
            "dossier": dossier,
            "timeline": _timeline_rows(events, dossier),
            # The fields as they were at submission, not as the procedure reads now.
            "declared": applicant_data_display(dossier.applicant_fields, dossier.form_data),
            "application_documents": [d for d in documents if d.kind == DocumentKind.APPLICATION],
            "supplement_documents": [d for d in documents if d.kind == DocumentKind.SUPPLEMENT],
            "result_documents": [d for d in documents if d.kind == DocumentKind.RESULT] if result_visible else [],
            "open_request": open_request if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED else None,
            "issued_documents": _issued_documents(dossier, has_supplement_request=bool(requests_)),
            "can_supplement": Action.SUPPLEMENT in actions,
            "can_withdraw": Action.WITHDRAW in actions,
            "supplement_form": supplement_form or SupplementForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
        },
        status=status,
    )


@login_required
@require_safe
def my_dossier(request, pk):
    dossier = _own_dossier(request, pk)
    if dossier.is_draft:
        return redirect(_apply_url(dossier.procedure, dossier))
    return _render_my_dossier(request, dossier)


@login_required
@require_POST
def my_dossier_supplement(request, pk):
    """The applicant answers the open supplement request: files and a note; the clock restarts."""
    dossier = _own_dossier(request, pk)
    form = SupplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with services.atomic_with_files():
                services.dossier_supplement(
                    dossier=dossier, user=request.user, files=form.cleaned_data["files"], note=form.cleaned_data["note"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return redirect("dossiers:my-dossier", pk=dossier.pk)
        else:
            messages.success(request, _("Đã gửi hồ sơ bổ sung. Thời hạn giải quyết được tính tiếp."))
            return redirect("dossiers:my-dossier", pk=dossier.pk)
    return _render_my_dossier(request, dossier, supplement_form=form)


@login_required
@require_POST
def my_dossier_withdraw(request, pk):
    dossier = _own_dossier(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_withdraw(dossier=dossier, applicant=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return redirect("dossiers:my-dossier", pk=dossier.pk)
        else:
            messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("dossiers:my-dossier", pk=dossier.pk)
    return _render_my_dossier(request, dossier, withdraw_form=form)


# --- private files -------------------------------------------------------------------------------


@login_required
@require_safe
def document_download(request, dossier_pk, document_pk):
    """A dossier's file, for whoever may open the dossier (404 for anyone else), never rendered inline."""
    document = selectors.document_get_for_download(user=request.user, dossier_pk=dossier_pk, document_pk=document_pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("nop-ho-so/<str:code>/", apply, name="apply"),
    path("nop-ho-so/<str:code>/xem-lai/<int:pk>/", apply_review, name="apply-review"),
    path("ho-so-cua-toi/", my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/<int:pk>/", my_dossier, name="my-dossier"),
    path("ho-so-cua-toi/<int:pk>/bo-sung/", my_dossier_supplement, name="my-dossier-supplement"),
    path("ho-so-cua-toi/<int:pk>/rut-ho-so/", my_dossier_withdraw, name="my-dossier-withdraw"),
    path("ho-so/<int:dossier_pk>/tep/<int:document_pk>/", document_download, name="document-download"),
]
