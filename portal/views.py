import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .constants import ApplicantType
from .forms import PasswordResetRequestForm, RegistrationForm
from .ratelimit import client_address, hit
from .readiness import readiness_failures
from .services import password_reset_request, user_register

RESET_ADDRESS_WINDOW_SECONDS = 3600
# A valid reset request is answered no sooner than this after the service starts, whatever it did: queuing
# a mail for an account (a user row read, an outbox INSERT, a commit, a broker call: a few ms, more under
# load) then takes as long as finding no account, and the timing tells nothing. Well above the service's
# time under load, well below what a person notices on this page.
RESET_ANSWER_SECONDS = 0.3


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and not hit(
        scope="register",
        key=client_address(request),
        limit=settings.REGISTRATION_RATE_LIMIT,
        window_seconds=3600,
    ):
        # The form says whether an e-mail, CCCD or tax code is taken: limit how fast anyone can ask.
        response = render(
            request,
            "registration/register.html",
            {"form": RegistrationForm(), "throttled": True},
            status=429,
        )
        response["Retry-After"] = "3600"
        return response
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_enterprise = data["applicant_type"] == ApplicantType.ENTERPRISE
        user = user_register(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            phone=data["phone"],
            applicant_type=data["applicant_type"],
            citizen_id=None if is_enterprise else data["citizen_id"],
            tax_code=data["tax_code"] if is_enterprise else None,
            organization_name=data["organization_name"] if is_enterprise else "",
        )
        login(request, user, backend="portal.auth.EmailOrIdentifierBackend")
        messages.success(request, _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user.full_name})
        return redirect("home")
    return render(request, "registration/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link. Every valid request answers the same redirect to the same "check your mailbox"
    page, in the same time, whether or not an account has the address: the service only queues the mail in
    the outbox (the relay sends it after the response) and the answer waits until RESET_ANSWER_SECONDS.
    Beyond PASSWORD_RESET_ADDRESS_LIMIT requests from one client address an hour, 429."""
    if request.method == "POST" and not hit(
        scope="password-reset",
        key=client_address(request),
        limit=settings.PASSWORD_RESET_ADDRESS_LIMIT,
        window_seconds=RESET_ADDRESS_WINDOW_SECONDS,
    ):
        response = render(
            request,
            "registration/password_reset_form.html",
            {"form": PasswordResetRequestForm(), "throttled": True},
            status=429,
        )
        response["Retry-After"] = str(RESET_ADDRESS_WINDOW_SECONDS)
        return response
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        password_reset_request(
            email=form.cleaned_data["email"],
            domain=request.get_host(),
            use_https=request.is_secure(),
        )
        time.sleep(max(0.0, RESET_ANSWER_SECONDS - (time.monotonic() - started)))
        return redirect("portal:password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})


# --- the load balancer's probes ----------------------------------------------------------------------------


@require_safe
def healthz(request):
    """Liveness: the process answers (asks nothing else, so a database outage does not get every node restarted)."""
    return _probe_response({"status": "ok"}, status=200)


@require_safe
def readyz(request):
    """Readiness: 200 when the database, Redis and the file storage answer; 503 naming those that do not, so the
    load balancer sends no visitor to this node meanwhile."""
    failed = readiness_failures()
    if failed:
        return _probe_response({"status": "unavailable", "failed": failed}, status=503)
    return _probe_response({"status": "ok"}, status=200)


def _probe_response(body: dict, *, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
