"""Token authentication for API clients. Send a token as `Authorization: Token <key>`.

- POST /api/v1/auth/token/ gives a new token for an e-mail, CCCD or tax code and a password; DELETE revokes
  the token the request carries.
- GET /api/v1/auth/tokens/ lists the caller's live tokens (never a key: its last four characters);
  DELETE /api/v1/auth/tokens/<id>/ revokes one of them.

A token lives `settings.API_TOKEN_LIFETIME_HOURS` and dies with a password change or reset
(`portal.services.user_password_set`). `portal.authentication.ApiTokenAuthentication` reads the header.

Credentials go through django.contrib.auth.authenticate(request=...), so django-axes counts failures
and locks the (username, address) pair exactly as on the sign-in page.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import ApiTokenAuthentication
from .models import ApiToken
from .selectors import api_token_get_for_owner, api_tokens_of
from .services import api_token_obtain, api_token_revoke


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Thư điện tử, số CCCD hoặc mã số thuế.")
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    name = serializers.CharField(
        max_length=100,
        required=False,
        default="",
        allow_blank=True,
        help_text="Tên gợi nhớ của mã (ví dụ: tên máy hoặc phần mềm dùng mã), để nhận ra nó trong danh sách.",
    )


class TokenSerializer(serializers.ModelSerializer):
    token = serializers.SerializerMethodField(
        help_text="Gửi kèm mỗi yêu cầu: `Authorization: Token <token>`. Chỉ hiện một lần, hãy lưu lại."
    )

    class Meta:
        model = ApiToken
        fields = ["token", "id", "name", "expires_at"]
        read_only_fields = fields

    def get_token(self, token) -> str:
        return self.context["key"]


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="Mã đang dùng cho chính yêu cầu này.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "last_four", "created_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        return token == self.context["request"].auth


class AccountLockedOut(exceptions.Throttled):
    """django-axes locked the (username, address) pair out: 429, with `Retry-After` its cool-off."""

    def __init__(self):
        super().__init__(detail=_("Đăng nhập sai quá nhiều lần. Tài khoản tạm khoá, hãy thử lại sau."))
        self.wait = int(settings.AXES_COOLOFF_TIME.total_seconds())


class TokenView(APIView):
    # Token only (never the session), so a browser's cookies cannot revoke a token by cross-site request.
    authentication_classes = [ApiTokenAuthentication]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        summary="Lấy mã truy cập API mới",
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Sai thông tin đăng nhập (`invalid_credentials`), hoặc thiếu trường."),
            429: OpenApiResponse(
                description="Tạm khoá do đăng nhập sai nhiều lần (`throttled`); `Retry-After`: thời gian khoá."
            ),
        },
    )
    def post(self, request):
        params = TokenObtainSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        name = params.validated_data.pop("name")
        user = authenticate(request=request, **params.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise AccountLockedOut()
        if user is None:
            raise exceptions.ValidationError(_("Thông tin đăng nhập không đúng."), code="invalid_credentials")
        token, key = api_token_obtain(request=request, user=user, name=name)
        return Response(TokenSerializer(token, context={"key": key}).data)

    @extend_schema(summary="Thu hồi mã truy cập API đang dùng", request=None, responses={204: None})
    def delete(self, request):
        api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenListView(APIView):
    # The default authentication: a token, or the session of a signed-in browser (DRF checks its CSRF token
    # on DELETE).

    @extend_schema(
        summary="Các mã truy cập API còn hiệu lực của tôi",
        responses={200: ApiTokenSerializer(many=True)},
    )
    def get(self, request):
        tokens = api_tokens_of(user=request.user)
        return Response(ApiTokenSerializer(tokens, many=True, context={"request": request}).data)


class ApiTokenDetailView(APIView):
    @extend_schema(
        summary="Thu hồi một mã truy cập API của tôi",
        request=None,
        responses={204: None, 404: OpenApiResponse(description="Không có mã này trong các mã của bạn.")},
    )
    def delete(self, request, pk: int):
        api_token_revoke(token=api_token_get_for_owner(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
