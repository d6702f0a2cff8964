"""The API's token authentication class, in a module of its own: DRF imports the classes named in
`REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]` while `rest_framework.views` is still loading, so this
module must not import views (the token endpoints are in `portal.api_auth`)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .selectors import api_token_for_key


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against `ApiToken` (stored as a SHA-256, with an expiry). A request
    without the header is left to the next class; a bad, revoked or expired key answers 401 with
    `WWW-Authenticate: Token`."""

    def authenticate_credentials(self, key):
        token = api_token_for_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập API không hợp lệ hoặc đã bị thu hồi."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập API đã hết hạn. Hãy lấy mã mới tại /api/v1/auth/token/.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản đã bị khoá hoặc không còn tồn tại."))
        return (token.user, token)
