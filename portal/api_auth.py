"""Token authentication for API clients: POST /api/v1/auth/token/ gives a token for an e-mail, CCCD or
tax code and a password; DELETE revokes the caller's token. Send it as `Authorization: Token <key>`.

Credentials go through django.contrib.auth.authenticate(request=...), so django-axes counts failures
and locks the (username, address) pair exactly as on the sign-in page.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .services import api_token_obtain, api_token_revoke


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Thư điện tử, số CCCD hoặc mã số thuế.")
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Gửi kèm mỗi yêu cầu: `Authorization: Token <token>`.")


class AuthErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenView(APIView):
    # Token only (never the session), so a browser's cookies cannot revoke a token by cross-site request.
    authentication_classes = [TokenAuthentication]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        summary="Lấy mã truy cập API",
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(AuthErrorSerializer, description="Sai thông tin đăng nhập."),
            429: OpenApiResponse(AuthErrorSerializer, description="Tạm khoá do đăng nhập sai nhiều lần."),
        },
    )
    def post(self, request):
        params = TokenObtainSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = authenticate(request=request, **params.validated_data)
        if getattr(request, "axes_locked_out", False):
            return Response(
                {"detail": _("Đăng nhập sai quá nhiều lần. Tài khoản tạm khoá, hãy thử lại sau.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None:
            return Response(
                {"detail": _("Thông tin đăng nhập không đúng.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = api_token_obtain(request=request, user=user)
        return Response({"token": token.key})

    @extend_schema(summary="Thu hồi mã truy cập API đang dùng", request=None, responses={204: None})
    def delete(self, request):
        api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
