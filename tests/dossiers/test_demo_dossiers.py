"""`make run` loads a few dossiers so that every demo officer has work in a queue."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from dossiers import selectors
from dossiers.demo import DEMO_STATUSES
from dossiers.models import Dossier
from portal.models import User

pytestmark = pytest.mark.django_db


def test_demo_dossiers_are_loaded_once_in_each_status():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    assert Counter(Dossier.objects.values_list("status", flat=True)) == Counter(DEMO_STATUSES)
    assert all(dossier.events.exists() for dossier in Dossier.objects.all())


def test_each_demo_officer_of_the_department_has_work():
    call_command("load_demo", stdout=StringIO())

    for email, queue in [
        ("tiepnhan.sct@demo.dichvucong.vn", "new"),
        ("xuly.sct@demo.dichvucong.vn", "to_process"),
        ("lanhdao.sct@demo.dichvucong.vn", "awaiting_approval"),
    ]:
        officer = User.objects.get(email=email)
        assert selectors.queue_counts(officer=officer)[queue] > 0, email
