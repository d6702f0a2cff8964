"""The officer pages: the workbench (queues), a dossier with its action forms, counter and postal intake.

Views stay thin: reads go through `dossiers.selectors` (which scope everything to the officer's
agency), writes through `dossiers.services`; a refused action comes back as a message, never a 500.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.constants import Role
from portal.text import short_datetime

from .. import selectors, services
from ..constants import Action, Channel
from ..forms.applicant_fields import ApplicantDataForm, applicant_data_display
from ..forms.officer import ACTION_FORMS, ForwardForm, IntakeForm, QueueFilterForm
from ..workflow import TransitionNotAllowed, allowed_actions, check_transition

QUEUE_PAGE_SIZE = 25
# The queue the workbench opens on: the one that waits for the officer's own step.
HOME_QUEUES = ("new", "to_process", "awaiting_approval")
# The order of the action forms on the dossier page: the usual next step first, refusal last.
ACTION_ORDER = [
    Action.RECEIVE,
    Action.FORWARD,
    Action.TAKE,
    Action.PROPOSE,
    Action.APPROVE,
    Action.DELIVER,
    Action.SUPPLEMENT,
    Action.REQUEST_SUPPLEMENT,
    Action.SEND_BACK,
    Action.APOLOGIZE,
    Action.REFUSE,
]
APPLICANT_DATA_PREFIX = "tt"


def officer_required(view):
    """Signed-in officers who work on their agency's dossiers (reception, processing, approval:
    `User.handles_dossiers`) and system administrators attached to an agency; anonymous users go to sign in,
    anyone else gets 403 (an agency administrator without one of those roles included). Every officer page
    shows the user's own agency only (`selectors.workbench_scope`)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_superuser and user.agency_id is None:
            raise PermissionDenied(
                _(
                    "Tài khoản quản trị hệ thống chưa gắn với cơ quan nào nên không có bàn làm việc. Hãy chọn cơ "
                    "quan công tác cho tài khoản trong trang quản trị."
                )
            )
        if not (user.handles_dossiers or user.is_superuser):
            raise PermissionDenied(_("Bàn làm việc chỉ dành cho cán bộ tiếp nhận, chuyên viên xử lý và lãnh đạo."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


# --- workbench ---------------------------------------------------------------------------------


@officer_required
def workbench(request, queue: str | None = None):
    officer = request.user
    queues = selectors.queues_for_officer(officer=officer)
    if queue is None:
        # The work that waits for the officer's role, else its first queue.
        current = next((q for q in queues if q.name in HOME_QUEUES), queues[0] if queues else None)
    else:
        current = next((q for q in queues if q.name == queue), None)
        if current is None:
            raise Http404
    # The due-soon window is computed once (the working calendar is a query) for the counts, the queue
    # and the rows' deadline marks.
    now = timezone.now()
    horizon = selectors.due_soon_horizon(now=now)
    counts = selectors.queue_counts(officer=officer, now=now, horizon=horizon)
    form = QueueFilterForm(request.GET, procedures=selectors.procedures_for_officer(officer=officer))
    page, rows = None, []
    if current is not None:
        dossiers = selectors.dossier_queue_for_officer(
            officer=officer, queue=current.name, now=now, horizon=horizon, **form.filters()
        )
        page = Paginator(dossiers, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(dossier, selectors.due_state(dossier, now=now, horizon=horizon)) for dossier in page.object_list]
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "dossiers/officer/workbench.html",
        {
            "queues": [(q, counts.get(q.name, 0)) for q in queues],
            "current": current,
            "form": form,
            "page": page,
            "rows": rows,
            "query_without_page": query_without_page.urlencode(),
            "can_intake": officer.has_role(Role.RECEPTION_OFFICER),
        },
    )


# --- one dossier -------------------------------------------------------------------------------


def _get_dossier(request, pk: int):
    """The dossier as this officer may open it: of its agency (404 for missing and not yours alike)."""
    return selectors.dossier_get_for_workbench(user=request.user, pk=pk)


def _action_form(action: str, dossier, officer, *args, **kwargs):
    form_class = ACTION_FORMS[action]
    if form_class is ForwardForm:
        kwargs["assignees"] = selectors.processing_officers_for_agency(agency_id=dossier.agency_id)
    return form_class(*args, dossier=dossier, **kwargs)


@officer_required
def dossier_detail(request, pk: int):
    officer = request.user
    dossier = _get_dossier(request, pk)
    requests_ = list(selectors.dossier_supplement_requests(dossier=dossier))
    now = timezone.now()
    allowed = set(allowed_actions(dossier=dossier, user=officer))
    action_forms = [_action_form(action, dossier, officer) for action in ACTION_ORDER if action in allowed]
    return render(
        request,
        "dossiers/officer/dossier.html",
        {
            "dossier": dossier,
            "form_data": applicant_data_display(dossier.applicant_fields, dossier.form_data),
            "documents": list(selectors.dossier_documents(dossier=dossier)),
            "timeline": list(selectors.dossier_timeline(dossier=dossier)),
            "supplement_requests": requests_,
            "issued_documents": selectors.issued_documents_for(dossier=dossier, supplement_requests=requests_),
            "action_forms": action_forms,
            "due_state": selectors.due_state(dossier, now=now, horizon=selectors.due_soon_horizon(now=now)),
        },
    )


SUCCESS_MESSAGES = {
    Action.RECEIVE: gettext_lazy("Đã tiếp nhận hồ sơ %(code)s. Ngày hẹn trả kết quả: %(due)s."),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Đã gửi yêu cầu bổ sung hồ sơ %(code)s tới người nộp."),
    Action.REFUSE: gettext_lazy("Đã từ chối tiếp nhận hồ sơ %(code)s."),
    Action.FORWARD: gettext_lazy("Đã chuyển hồ sơ %(code)s sang xử lý."),
    Action.TAKE: gettext_lazy("Bạn đã nhận xử lý hồ sơ %(code)s."),
    Action.PROPOSE: gettext_lazy("Đã trình phê duyệt hồ sơ %(code)s."),
    Action.APPROVE: gettext_lazy("Đã phê duyệt hồ sơ %(code)s."),
    Action.SEND_BACK: gettext_lazy("Đã trả lại hồ sơ %(code)s để xử lý lại."),
    Action.DELIVER: gettext_lazy("Đã ghi nhận trả kết quả hồ sơ %(code)s."),
    Action.APOLOGIZE: gettext_lazy("Đã gửi thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s: %(due)s."),
    Action.SUPPLEMENT: gettext_lazy("Đã ghi nhận hồ sơ bổ sung của %(code)s; thời hạn giải quyết được tính tiếp."),
}


def _success_message(action: str, dossier) -> str:
    return str(SUCCESS_MESSAGES[action]) % {"code": dossier.code, "due": short_datetime(dossier.due_at)}


def _form_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@officer_required
@require_POST
def dossier_action(request, pk: int, action: str):
    officer = request.user
    if action not in ACTION_FORMS:
        raise Http404
    dossier = _get_dossier(request, pk)
    back = redirect("dossiers:officer-dossier", pk=dossier.pk)
    try:
        # The service checks again under the row lock; this first check answers a stale page or a
        # wrong role before complaining about the form.
        check_transition(dossier=dossier, user=officer, action=action)
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
        return back
    form = _action_form(action, dossier, officer, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back
    try:
        dossier = services.perform_action(action=action, dossier=dossier, user=officer, **form.cleaned_data)
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _success_message(action, dossier))
    return back


# --- counter and postal intake -----------------------------------------------------------------


@officer_required
def intake(request):
    officer = request.user
    if not officer.has_role(Role.RECEPTION_OFFICER):
        raise PermissionDenied
    procedure_id = request.GET.get("procedure")
    if not procedure_id:
        return render(
            request,
            "dossiers/officer/intake_choose.html",
            {"procedures": list(selectors.procedures_for_intake(officer=officer).select_related("field"))},
        )
    procedure = selectors.procedure_get_for_intake(officer=officer, pk=procedure_id)
    specs = procedure.applicant_fields
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, procedure=procedure)
        data_form = ApplicantDataForm(request.POST, spec=specs, prefix=APPLICANT_DATA_PREFIX)
        if form.is_valid() and data_form.is_valid():
            values = form.cleaned_data
            tracking_number = values["postal_tracking_number"] if values["channel"] == Channel.POSTAL else ""
            try:
                dossier = services.dossier_record_intake(
                    officer=officer,
                    procedure=procedure,
                    client_token=values["client_token"],
                    channel=values["channel"],
                    applicant_type=values["applicant_type"],
                    applicant_name=values["applicant_name"],
                    applicant_id_number=values["applicant_id_number"],
                    applicant_phone=values["applicant_phone"],
                    applicant_email=values["applicant_email"],
                    applicant_address=values["applicant_address"],
                    form_data=data_form.to_json(),
                    delivery_method=values["delivery_method"],
                    delivery_address=values["delivery_address"],
                    files_by_component=form.files_by_component(),
                    postal_tracking_number=tracking_number,
                    note=values["note"],
                )
            except TransitionNotAllowed as refusal:
                form.add_error(None, refusal.message)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _success_message(Action.RECEIVE, dossier))
                return redirect("dossiers:officer-dossier", pk=dossier.pk)
    else:
        form = IntakeForm(procedure=procedure)
        data_form = ApplicantDataForm(spec=specs, prefix=APPLICANT_DATA_PREFIX)
    return render(
        request,
        "dossiers/officer/intake.html",
        {"procedure": procedure, "form": form, "data_form": data_form},
    )


urlpatterns = [
    path("can-bo/", workbench, name="officer-home"),
    path("can-bo/hang-doi/<slug:queue>/", workbench, name="officer-queue"),
    path("can-bo/ho-so/<int:pk>/", dossier_detail, name="officer-dossier"),
    path("can-bo/ho-so/<int:pk>/<slug:action>/", dossier_action, name="officer-action"),
    path("can-bo/tiep-nhan/", intake, name="officer-intake"),
]
