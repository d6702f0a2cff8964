"""The signed-in user's own pages: its notifications (and, with the account page, its contact details, password,
sign-ins and API tokens). Thin: reads through `portal.selectors`, writes through `portal.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services

NOTIFICATIONS_PAGE_SIZE = 20


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
    path("tai-khoan/thong-bao/", notifications, name="notifications"),
    path("tai-khoan/thong-bao/<int:pk>/", notification_open, name="notification-open"),
    path("tai-khoan/thong-bao/da-doc/", notifications_read_all, name="notifications-read-all"),
]
