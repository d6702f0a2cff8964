from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .constants import ApplicantType
from .forms import RegistrationForm
from .ratelimit import client_address, hit
from .services import user_register


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
