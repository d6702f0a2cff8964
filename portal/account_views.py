"""The signed-in user's own pages: the account (contact details, password, sign-in history, API tokens for
enterprises) and its notifications. Thin: reads through `portal.selectors`, writes through `portal.services`."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .account_forms import AccountPasswordForm, ApiTokenForm, ContactForm
from .constants import ApplicantType

NOTIFICATIONS_PAGE_SIZE = 20
SIGN_INS_SHOWN = 20


# --- the account page ----------------------------------------------------------------------------


def _offers_api_tokens(user) -> bool:
    return user.applicant_type == ApplicantType.ENTERPRISE


def _render_account(request, *, contact_form=None, password_form=None, token_form=None, new_key="", status=200):
    user = request.user
    tokens = list(selectors.api_tokens_of(user=user)) if _offers_api_tokens(user) else []
    return render(
        request,
        "portal/account.html",
        {
            "contact_form": contact_form or ContactForm(user=user),
            "password_form": password_form or AccountPasswordForm(user),
            "token_form": token_form or ApiTokenForm(),
            "offers_api_tokens": _offers_api_tokens(user),
            "tokens": tokens,
            "new_key": new_key,
            "sign_ins": selectors.sign_ins_of(user=user)[:SIGN_INS_SHOWN],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The account page; a POST changes the contact details."""
    if request.method == "GET":
        return _render_account(request)
    form = ContactForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.user_update_contact(
                user=request.user, email=form.cleaned_data["email"], phone=form.cleaned_data["phone"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thông tin liên hệ."))
            return redirect("portal:account")
    request.user.refresh_from_db()  # the header and the form show what is saved, not what was refused
    return _render_account(request, contact_form=form)


@login_required
@require_POST
def password_change(request):
    form = AccountPasswordForm(request.user, request.POST)
    if not form.is_valid():
        return _render_account(request, password_form=form)
    services.user_password_set(user=request.user, password=form.cleaned_data["new_password1"])
    update_session_auth_hash(request, request.user)  # this session stays signed in; the others end
    messages.success(request, _("Đã đổi mật khẩu. Các phiên đăng nhập khác và mọi mã truy cập API đã bị thu hồi."))
    return redirect("portal:account")


@login_required
@require_POST
def api_token_create(request):
    """A new API token for an enterprise account; its key is shown on this answer only."""
    if not _offers_api_tokens(request.user):
        raise PermissionDenied
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_account(request, token_form=form)
    _token, key = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
    return _render_account(request, new_key=key)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.api_token_get_for_owner(user=request.user, pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("Đã thu hồi mã truy cập …%(last)s.") % {"last": token.last_four})
    return redirect("portal:account")


# --- notifications -------------------------------------------------------------------------------


@login_required
@require_safe
def notifications(request):
    """The user's notifications, newest first, the unread ones marked."""
    page = Paginator(selectors.notifications_of(user=request.user), NOTIFICATIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_safe
def notification_open(request, pk):
    """Open what a notification is about, marking it read (404 for someone else's)."""
    notification = selectors.notification_get_for_owner(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):  # a path of the portal only
        return redirect(link)
    return redirect("portal:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    marked = services.notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("portal:notifications")


urlpatterns = [
    path("tai-khoan/", account, name="account"),
    path("tai-khoan/mat-khau/", password_change, name="password-change"),
    path("tai-khoan/ma-truy-cap/", api_token_create, name="api-token-create"),
    path("tai-khoan/ma-truy-cap/<int:pk>/thu-hoi/", api_token_revoke, name="api-token-revoke"),
    path("tai-khoan/thong-bao/", notifications, name="notifications"),
    path("tai-khoan/thong-bao/<int:pk>/", notification_open, name="notification-open"),
    path("tai-khoan/thong-bao/da-doc/", notifications_read_all, name="notifications-read-all"),
]
