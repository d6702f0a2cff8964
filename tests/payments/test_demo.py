"""`make run` pays: the demo catalogue has full-online procedures whose fee is paid with the application, and local
development's VNPay goes to the sandbox bank (tests/payments/test_settings.py)."""

import pytest

from procedures.constants import FeeTiming
from procedures.demo import load_demo_catalogue
from procedures.models import Procedure

pytestmark = pytest.mark.django_db


def test_the_demo_has_procedures_whose_fee_is_paid_online_with_the_application():
    load_demo_catalogue()

    paid_with_application = Procedure.objects.filter(fee__gt=0, fee_timing=FeeTiming.SUBMISSION)
    assert set(paid_with_application.values_list("code", flat=True)) == {"2.000505", "1.009982"}
    assert all(procedure.accepts_online for procedure in paid_with_application)
    assert Procedure.objects.get(code="2.000505").fee_refundable is True
    # Elsewhere the office asks for the fee after reception, as before
    assert Procedure.objects.get(code="2.000620").fee_timing == FeeTiming.AFTER_RECEPTION
