"""Payments in the admin (look, never edit), and two clicks on "Thanh toán" at the same moment."""

import pytest
from django.urls import reverse

from payments import services
from payments.models import Payment, ProviderMessage, Receipt
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .conftest import bank_result, start_payment


@pytest.mark.django_db
def test_system_administrators_read_payments_messages_and_receipts_and_nobody_edits_them(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    services.payment_handle_notification(provider_name="vnpay", parameters=bank_result(payment))
    message, receipt = ProviderMessage.objects.filter(payment=payment).first(), Receipt.objects.get(payment=payment)
    pages = [
        reverse("admin:payments_payment_changelist"),
        reverse("admin:payments_payment_change", args=[payment.pk]),
        reverse("admin:payments_providermessage_changelist"),
        reverse("admin:payments_providermessage_change", args=[message.pk]),
        reverse("admin:payments_receipt_changelist"),
        reverse("admin:payments_receipt_change", args=[receipt.pk]),
    ]

    client.force_login(UserFactory(superuser=True))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    assert payment.reference in client.get(pages[0]).content.decode()
    assert client.get(reverse("admin:payments_payment_add")).status_code == 403
    response = client.post(pages[1], {"status": "refunded"})
    assert response.status_code == 403
    assert client.post(reverse("admin:payments_payment_delete", args=[payment.pk])).status_code == 403

    client.force_login(UserFactory(agency_admin=True))
    for page in pages:
        assert client.get(page).status_code == 403, page
    payment.refresh_from_db()
    assert payment.status == "paid"


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_open_one_attempt(fee_dossier):
    dossier, _people = fee_dossier

    payments, errors = run_at_once(2, lambda i: start_payment(dossier))

    assert errors == []
    assert payments[0].pk == payments[1].pk
    assert Payment.objects.filter(dossier=dossier).count() == 1
