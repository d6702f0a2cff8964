"""The officer pages: the workbench (queues), a dossier with its action forms, counter and postal intake.

Views stay thin: reads go through `dossiers.selectors` (which scope everything to the officer's
agency), writes through `dossiers.services`; a refused action comes back as a message, never a 500.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.constants import Role
from procedures.calendar import working_calendar_for_pages

from .. import selectors, services
from ..actions import ACTIONS, OFFICER_ACTIONS, perform_action
from ..constants import Action, Channel, DossierStatus
from ..error_codes import ErrorCode
from ..forms.applicant_fields import ApplicantDataForm, applicant_data_display
from ..forms.officer import IntakeForm, QueueFilterForm
from ..intake_links import intake_attachments, intake_link_fields, intake_links_clean, intake_parcel_number
from ..panels import panels_for
from ..workflow import allowed_actions, check_transition, refusal_of
from .refusals import REFUSALS, refusals_as_messages

QUEUE_PAGE_SIZE = 25
# The query parameter (and hidden field of the action forms) naming the queue a dossier was opened from.
QUEUE_PARAM = "hang-doi"
# The queue the workbench opens on: the one that waits for the officer's own step.
HOME_QUEUES = ("new", "to_process", "awaiting_approval")
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
    # The working calendar, for the due-soon window of the counts, the queue and the rows' deadline marks, and for the
    # rows' time left: this process's copy (what a page shows only; no date is stored from it).
    now, calendar = timezone.now(), working_calendar_for_pages()
    horizon = selectors.due_soon_horizon(now=now, calendar=calendar)
    counts = selectors.queue_counts(officer=officer, now=now, horizon=horizon)
    # Built when the query has filters to read, or the form is rendered (once a minute: the "fragments" cache), not
    # on every page (~0.4 ms of CPU); without filters the selector's defaults are the form's.
    form = SimpleLazyObject(
        lambda: QueueFilterForm(request.GET, procedures=selectors.procedures_for_officer(officer=officer))
    )
    page, rows = None, []
    if current is not None:
        filters = form.filters() if request.GET.keys() - {"page"} else {}
        dossiers = selectors.dossier_queue_for_officer(
            officer=officer, queue=current.name, now=now, horizon=horizon, **filters
        )
        paginator = Paginator(selectors.queue_row_values(dossiers), QUEUE_PAGE_SIZE)
        filtered = any(value for name, value in filters.items() if name != "sort")
        if not filtered:
            # Unfiltered, the queue holds what its tab counts: that count, read with the others, spares a query.
            paginator.count = counts.get(current.name, 0)
            page = paginator.get_page(request.GET.get("page"))
        elif request.GET.get("page", "1") == "1":
            # A search's first page: its rows first. Fewer than a page are all the search found and need no count
            # (a search mostly finds a few dossiers); a full page leaves the count to when the pager asks.
            first = list(paginator.object_list[:QUEUE_PAGE_SIZE])
            if len(first) < QUEUE_PAGE_SIZE:
                paginator.count = len(first)
            page = Page(first, 1, paginator)
        else:
            page = paginator.get_page(request.GET.get("page"))
        rows = _with_links(
            selectors.queue_rows(page.object_list, now=now, horizon=horizon, calendar=calendar), queue=current.name
        )
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    # The "time left" heading sorts by it, least first, then most first.
    sorted_by_time_left = query_without_page.copy()
    sorted_by_time_left["sort"] = "-time_left" if request.GET.get("sort") == "time_left" else "time_left"
    # The tabs' links: one `reverse` for all of them, the queue's name between these two.
    queue_url_head, queue_url_tail = _url_halves("dossiers:officer-queue")
    return render(
        request,
        "dossiers/officer/workbench.html",
        {
            "queues": [(q, counts.get(q.name, 0)) for q in queues],
            "queue_url_head": queue_url_head,
            "queue_url_tail": queue_url_tail,
            "current": current,
            "form": form,
            "page": page,
            "rows": rows,
            "query_without_page": query_without_page.urlencode(),
            "time_left_sort_query": sorted_by_time_left.urlencode(),
            "sort": request.GET.get("sort", ""),
            "can_intake": officer.has_role(Role.RECEPTION_OFFICER),
            # Checkboxes on the new queue: several online dossiers received at once.
            "bulk_receive": current is not None and current.name == "new" and officer.has_role(Role.RECEPTION_OFFICER),
            "online_channel": Channel.ONLINE,
            "claims": officer.has_role(Role.PROCESSING_OFFICER),
        },
    )


def _with_links(rows: list[dict], *, queue: str) -> list[dict]:
    """Each queue row with its links (the dossier, opened from `queue`; the claim) and its checkbox's label, at the
    cost of two `reverse` and one translation for the page instead of up to three per row."""
    dossier_url, take_url = _url_by_id("dossiers:officer-dossier"), _url_by_id("dossiers:officer-action", Action.TAKE)
    from_queue, pick_label = urlencode({QUEUE_PARAM: queue}), _("Chọn hồ sơ %(code)s")
    for row in rows:
        row["url"] = f"{dossier_url(row['id'])}?{from_queue}"
        row["take_url"] = take_url(row["id"])
        row["pick_label"] = pick_label % {"code": row["code"]}
    return rows


def _url_by_id(view_name: str, *more_args) -> Callable[[int], str]:
    """`reverse(view_name, args=[pk, *more_args])` for any pk, reversed once (`_url_halves`)."""
    head, tail = _url_halves(view_name, *more_args)
    return lambda pk: f"{head}{pk}{tail}"


def _url_halves(view_name: str, *more_args) -> tuple[str, str]:
    """`reverse(view_name, args=[value, *more_args])` cut in two where any value (a pk, a slug) goes: the address with
    a marker in its place, split around it."""
    marker = "987654321"
    head, tail = reverse(view_name, args=[int(marker), *more_args]).split(marker)
    return head, tail


# --- one dossier -------------------------------------------------------------------------------


def _get_dossier(request, pk: int):
    """The dossier as this officer may open it: of its agency (404 for missing and not yours alike)."""
    return selectors.dossier_get_for_workbench(user=request.user, pk=pk)


@officer_required
def dossier_detail(request, pk: int):
    officer = request.user
    dossier = _get_dossier(request, pk)
    requests_ = list(selectors.dossier_supplement_requests(dossier=dossier))
    now = timezone.now()
    allowed = set(allowed_actions(dossier=dossier, user=officer))
    action_forms = [spec.form_class(dossier=dossier) for spec in OFFICER_ACTIONS if spec.action in allowed]
    approval_refusal = None
    if dossier.status == DossierStatus.AWAITING_APPROVAL and Action.APPROVE not in allowed:
        refusal = refusal_of(dossier=dossier, user=officer, action=Action.APPROVE)
        # Only the four-eyes rule is said here: an officer who is no approver is simply offered nothing.
        approval_refusal = refusal if refusal.code == ErrorCode.OWN_PROPOSAL else None
    queue = _queue_named(request.GET, officer)
    return render(
        request,
        "dossiers/officer/dossier.html",
        {
            "dossier": dossier,
            "form_data": applicant_data_display(dossier.applicant_fields, dossier.form_data),
            "documents": list(selectors.dossier_documents(dossier=dossier)),
            "results": selectors.results_for_dossier(dossier=dossier, user=officer),
            "timeline": list(selectors.dossier_timeline(dossier=dossier)),
            "supplement_requests": requests_,
            "issued_documents": selectors.issued_documents_for(dossier=dossier, supplement_requests=requests_),
            "action_forms": action_forms,
            "approval_refusal": approval_refusal,
            # Opened from a queue: the actions go on to its next dossier, and the page links to it.
            "queue": queue,
            "next_id": queue and selectors.dossier_next_in_queue(officer=officer, queue=queue, after=dossier),
            "due_state": selectors.due_state(dossier, now=now, horizon=selectors.due_soon_horizon(now=now)),
            "panels": panels_for("officer", request=request, dossier=dossier),
        },
    )


def _form_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _queue_named(data, officer) -> str:
    """The queue the officer came from (`QUEUE_PARAM` of the query or form), when it is one the officer works."""
    name = data.get(QUEUE_PARAM, "")
    return name if any(queue.name == name for queue in selectors.queues_for_officer(officer=officer)) else ""


def _dossier_page(pk: int, queue: str):
    url = reverse("dossiers:officer-dossier", args=[pk])
    return redirect(f"{url}?{urlencode({QUEUE_PARAM: queue})}" if queue else url)


@officer_required
@require_POST
def dossier_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None or spec.form is None:  # unknown, or the applicant's own
        raise Http404
    officer = request.user
    dossier = _get_dossier(request, pk)
    queue = _queue_named(request.POST, officer)
    with refusals_as_messages(request):
        # The service checks again under the row lock; this first check answers a stale page or a
        # wrong role before complaining about the form.
        check_transition(dossier=dossier, user=officer, action=action)
        form = spec.form_class(request.POST, request.FILES, dossier=dossier)
        if form.is_valid():
            dossier = perform_action(action=action, dossier=dossier, user=officer, **form.cleaned_data)
            messages.success(request, spec.message_for(dossier))
        else:
            messages.error(request, _form_errors(form))
    # Back on the dossier (its receipt to print, its next step), which offers the queue's next dossier.
    return _dossier_page(dossier.pk, queue)


@officer_required
@require_POST
def receive_many(request):
    """Receive the online dossiers checked on the new queue, each on its own (`services.dossiers_receive_each`):
    one refused leaves the others received, and the officer reads what became of each."""
    officer = request.user
    if not officer.has_role(Role.RECEPTION_OFFICER):
        raise PermissionDenied
    ids = [int(value) for value in request.POST.getlist("ho_so")[:QUEUE_PAGE_SIZE] if value.isdigit()]
    dossiers = selectors.dossiers_for_bulk_receive(officer=officer, ids=ids)
    if not dossiers:
        messages.error(request, _("Hãy chọn ít nhất một hồ sơ trực tuyến đang chờ tiếp nhận."))
    for outcome in services.dossiers_receive_each(officer=officer, dossiers=dossiers):
        if outcome.received:
            messages.success(request, ACTIONS[Action.RECEIVE].message_for(outcome.dossier))
        else:
            messages.error(request, f"{outcome.dossier.code}: {outcome.message}")
    skipped = len(set(ids)) - len(dossiers)
    if dossiers and skipped:
        messages.warning(
            request, _("%(count)d hồ sơ đã chọn không còn chờ tiếp nhận nên được bỏ qua.") % {"count": skipped}
        )
    return redirect("dossiers:officer-queue", queue="new")


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
    status = 200
    if request.method == "POST":
        # What other apps attach (a pickup order the post collected the paper dossier with), read first: it may
        # give the parcel's number.
        try:
            links, link_error = intake_links_clean(officer=officer, data=request.POST), None
        except ValidationError as error:
            links, link_error = [], error
        form = IntakeForm(request.POST, request.FILES, procedure=procedure, parcel_number=intake_parcel_number(links))
        data_form = ApplicantDataForm(request.POST, spec=specs, prefix=APPLICANT_DATA_PREFIX)
        valid = form.is_valid() & data_form.is_valid()
        if link_error is not None:
            form.add_error(None, link_error)
        elif valid:
            values, delivery = form.cleaned_data, form.delivery()
            tracking_number = (
                (values["postal_tracking_number"] or form.parcel_number) if values["channel"] == Channel.POSTAL else ""
            )
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
                    delivery_method=delivery["delivery_method"],
                    postal_address=delivery["postal_address"],
                    files_by_component=form.files_by_component(),
                    postal_tracking_number=tracking_number,
                    note=values["note"],
                    after_receipt=intake_attachments(links, officer=officer),
                )
            except REFUSALS as refusal:
                for message in refusal.messages:
                    form.add_error(None, message)
                # Someone else attached it first (a pickup linked meanwhile): nothing was recorded.
                if getattr(refusal, "code", None) == ErrorCode.ONCE_ONLY:
                    status = 409
            else:
                messages.success(request, ACTIONS[Action.RECEIVE].message_for(dossier))
                return redirect("dossiers:officer-dossier", pk=dossier.pk)
    else:
        form = IntakeForm(procedure=procedure)
        data_form = ApplicantDataForm(spec=specs, prefix=APPLICANT_DATA_PREFIX)
    data = request.POST if request.method == "POST" else None
    return render(
        request,
        "dossiers/officer/intake.html",
        {
            "procedure": procedure,
            "form": form,
            "data_form": data_form,
            "link_fields": intake_link_fields(request=request, officer=officer, data=data),
        },
        status=status,
    )


urlpatterns = [
    path("can-bo/", workbench, name="officer-home"),
    path("can-bo/hang-doi/<slug:queue>/", workbench, name="officer-queue"),
    path("can-bo/ho-so/<int:pk>/", dossier_detail, name="officer-dossier"),
    path("can-bo/ho-so/<int:pk>/<slug:action>/", dossier_action, name="officer-action"),
    path("can-bo/tiep-nhan/", intake, name="officer-intake"),
    path("can-bo/tiep-nhan-nhieu/", receive_many, name="officer-receive-many"),
]
