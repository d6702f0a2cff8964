"""Reads about people that are more than a `get`: API tokens and notifications, scoped to their owner."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ApiToken, Notification, SignIn


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The token a client presents, with its owner (one query), expired or not: the caller says which."""
    return ApiToken.objects.select_related("user").filter(key_digest=ApiToken.digest_of(key)).first()


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens that still open the API, newest first."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())


def api_token_get_for_owner(*, user, pk: int) -> ApiToken:
    """Fetch and authorise in one step: 404 for a token that is missing, expired or someone else's."""
    try:
        return api_tokens_of(user=user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user)


def notification_get_for_owner(*, user, pk: int) -> Notification:
    """404 for a notification that is missing or someone else's."""
    try:
        return notifications_of(user=user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def sign_ins_of(*, user) -> QuerySet[SignIn]:
    """The user's sign-ins, latest first."""
    return SignIn.objects.filter(user=user)
