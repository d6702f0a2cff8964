"""Accounts: registration, sign-in and out, password reset (the `portal` namespace)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import account_views, views
from .forms import LoginForm, ResetPasswordForm
from .landing import landing

app_name = "portal"

urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path(
        "dang-nhap/",
        # Without a `next`, each person goes where its work is (portal/landing.py).
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True, next_page=reverse_lazy("portal:landing")
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("vao-viec/", landing, name="landing"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetPasswordForm, success_url=reverse_lazy("portal:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    *account_views.urlpatterns,
]
