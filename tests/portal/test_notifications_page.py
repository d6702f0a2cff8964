"""What the applicant is told, and where: the e-mail and phone declared on the form, the portal's notifications page
with unread marks and the header's count, and the flags of "Hồ sơ của tôi"."""

import uuid

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.constants import DossierStatus, FeeStatus, FeeTiming
from dossiers.models import Dossier
from portal.models import Notification, OutboxMessage
from tests.factories import UserFactory, dossier_in_status

from ..dossiers import test_citizen_pages
from ..dossiers.test_citizen_pages import apply_url, complete_files, form_data, page_text

pytestmark = pytest.mark.django_db
procedure = test_citizen_pages.procedure  # the fixture


def test_the_email_and_phone_declared_on_the_form_are_notified_not_the_accounts(client, citizen, procedure):
    client.force_login(citizen)
    data = {
        **form_data(uuid.uuid4(), action="submit", applicant_phone="0987654321", applicant_email="Me@Example.VN"),
        **complete_files(procedure),
    }

    response = client.post(apply_url(procedure), data)

    assert response.status_code == 302
    email = OutboxMessage.objects.get(channel=OutboxMessage.Channel.EMAIL)
    sms = OutboxMessage.objects.get(channel=OutboxMessage.Channel.SMS)
    assert email.recipient == "me@example.vn" != citizen.email
    assert sms.recipient == "0987654321"


def test_a_malformed_email_on_the_form_is_refused_in_vietnamese_and_nothing_is_saved(client, citizen, procedure):
    client.force_login(citizen)

    response = client.post(apply_url(procedure), form_data(uuid.uuid4(), applicant_email="khong-phai-thu"))

    assert response.status_code == 200
    assert "Nhập một địa chỉ email hợp lệ" in page_text(response)
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()


def submitted(citizen):
    """A submitted dossier of `citizen` (its "Đã nộp hồ sơ" notification posted) and its reception officer."""
    dossier, officers = dossier_in_status(DossierStatus.SUBMITTED, applicant=citizen)
    return dossier, officers["reception"]


def test_a_notification_is_listed_unread_counted_in_the_header_and_read_once_opened(client, citizen):
    dossier, _reception = submitted(citizen)
    notification = Notification.objects.get(user=citizen)
    citizen.refresh_from_db()
    assert citizen.unread_notifications == 1
    client.force_login(citizen)

    listing = page_text(client.get(reverse("portal:notifications")))
    assert notification.subject in listing and "Chưa đọc" in listing
    assert 'class="badge badge--count">1' in listing

    response = client.get(reverse("portal:notification-open", args=[notification.pk]))
    assert response.url == reverse("dossiers:my-dossier", args=[dossier.pk])
    client.get(reverse("portal:notification-open", args=[notification.pk]))  # opened twice: counted once
    citizen.refresh_from_db()
    assert citizen.unread_notifications == 0
    assert "Chưa đọc" not in page_text(client.get(reverse("portal:notifications")))


def test_each_officer_action_the_applicant_is_told_of_is_listed(client, citizen):
    dossier, reception = submitted(citizen)
    services.dossier_receive(dossier=dossier, officer=reception)
    citizen.refresh_from_db()
    assert citizen.unread_notifications == Notification.objects.filter(user=citizen).count() == 2


def test_mark_all_read(client, citizen):
    submitted(citizen)
    submitted(citizen)
    client.force_login(citizen)

    response = client.post(reverse("portal:notifications-read-all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()
    citizen.refresh_from_db()
    assert citizen.unread_notifications == 0


def test_another_users_notification_is_404_and_stays_unread(client, citizen):
    submitted(citizen)
    notification = Notification.objects.get(user=citizen)
    client.force_login(UserFactory(citizen=True))

    assert client.get(reverse("portal:notification-open", args=[notification.pk])).status_code == 404
    assert notification.subject not in page_text(client.get(reverse("portal:notifications")))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_notifications_page_needs_sign_in(client):
    response = client.get(reverse("portal:notifications"))
    assert response.status_code == 302 and reverse("portal:login") in response.url


def test_the_list_costs_the_same_queries_whatever_its_length(client, citizen, django_assert_max_num_queries):
    for _ in range(22):
        submitted(citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:notifications")).status_code == 200


def test_my_dossiers_flags_what_awaits_the_applicant(client, citizen):
    dossier_in_status(DossierStatus.SUPPLEMENT_REQUESTED, applicant=citizen)
    unpaid, _officers = dossier_in_status(DossierStatus.PROCESSING, applicant=citizen)
    Dossier.objects.filter(pk=unpaid.pk).update(
        status=DossierStatus.PAYMENT_REQUESTED,
        fee=50000,
        fee_timing=FeeTiming.AFTER_RECEPTION,
        fee_status=FeeStatus.UNPAID,
    )
    dossier_in_status(DossierStatus.PROCESSING, applicant=citizen)
    client.force_login(citizen)

    text = page_text(client.get(reverse("dossiers:my-dossiers")))

    assert text.count("Cần bạn bổ sung") == 1
    assert text.count("Cần bạn thanh toán") == 1
