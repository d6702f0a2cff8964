"""`make run` loads a few dossiers so that every demo officer has work in a queue."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers import selectors
from dossiers.constants import DeliveryMethod, PostagePayment
from dossiers.constants import DossierStatus as S
from dossiers.demo import DEMO_STATUSES
from dossiers.models import Dossier
from portal.models import User

pytestmark = pytest.mark.django_db


def test_demo_dossiers_are_loaded_once_in_each_status():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    # The postal one: a result ready for reception to hand to the post, to a structured address.
    assert Counter(Dossier.objects.values_list("status", flat=True)) == Counter([*DEMO_STATUSES, S.RESULT_READY])
    assert all(dossier.events.exists() for dossier in Dossier.objects.all())
    postal = Dossier.objects.select_related("postal_address__commune").get(delivery_method=DeliveryMethod.POSTAL)
    assert (postal.status, postal.postal_address.commune.name, postal.postage_payment) == (
        S.RESULT_READY,
        "Vũ Phúc",
        PostagePayment.COD,
    )
    assert postal.delivery_address == "Số 8 Lý Bôn, Phường Vũ Phúc, Hưng Yên"


def test_each_demo_officer_of_the_department_has_work():
    call_command("load_demo", stdout=StringIO())

    for email, queue in [
        ("tiepnhan.sct@demo.dichvucong.vn", "new"),
        ("xuly.sct@demo.dichvucong.vn", "to_process"),
        ("lanhdao.sct@demo.dichvucong.vn", "awaiting_approval"),
    ]:
        officer = User.objects.get(email=email)
        assert selectors.queue_counts(officer=officer)[queue] > 0, email
