"""The portal's session store (portal/sessions.py) reads a session as Django's does: by its key, unless expired."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from portal.sessions import SessionStore


def test_a_signed_in_visitor_is_known_by_its_session_in_one_query(client, citizen, django_assert_num_queries):
    client.force_login(citizen)
    key = client.cookies["sessionid"].value

    with django_assert_num_queries(1):
        data = SessionStore(key).load()

    assert data["_auth_user_id"] == str(citizen.pk)
    assert client.get(reverse("dossiers:my-dossiers")).status_code == 200


def test_an_expired_session_signs_nobody_in(client, citizen):
    client.force_login(citizen)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("dossiers:my-dossiers"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None


def test_an_unknown_session_key_signs_nobody_in(client, db):
    client.cookies["sessionid"] = "x" * 32

    response = client.get(reverse("dossiers:my-dossiers"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
