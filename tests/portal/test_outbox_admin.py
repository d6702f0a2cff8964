"""The outbox in the Django admin: system administrators see what was sent and retry what failed."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import OutboxMessage
from portal.tasks import relay_outbox

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:portal_outboxmessage_changelist")
ADD = reverse("admin:portal_outboxmessage_add")


def change_url(message) -> str:
    return reverse("admin:portal_outboxmessage_change", args=[message.pk])


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch):
    kicks = []
    monkeypatch.setattr(relay_outbox, "apply_async", lambda *a, **kw: kicks.append(1))
    return kicks


def make_message(status=OutboxMessage.Status.PENDING, recipient="cong.dan@example.vn", **extra) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        recipient=recipient,
        subject="Hồ sơ đã được tiếp nhận",
        body="Nội dung",
        status=status,
        **extra,
    )


def test_superuser_lists_the_outbox(client, superuser):
    failed = make_message(OutboxMessage.Status.FAILED, attempts=8, last_error="550 no such user")
    client.force_login(superuser)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [message.pk for message in response.context["cl"].result_list] == [failed.pk]
    # The one action: "Gửi lại" (no bulk delete)
    assert [name for name, _label in response.context["action_form"].fields["action"].choices if name] == ["retry"]
    assert client.get(change_url(failed)).status_code == 200
    assert "550 no such user" in client.get(change_url(failed)).content.decode()


def test_retry_action_puts_failed_messages_back(client, superuser, _no_worker, django_capture_on_commit_callbacks):
    failed = make_message(OutboxMessage.Status.FAILED, recipient="sai@example.vn", attempts=8)
    sent = make_message(OutboxMessage.Status.SENT, recipient="da.gui@example.vn", attempts=1)
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "retry", "_selected_action": [failed.pk, sent.pk], "index": 0}, follow=True
        )

    assert response.status_code == 200
    assert "Đã đưa 1 thông báo gửi lỗi vào hàng đợi gửi lại." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.PENDING
    assert failed.attempts == 0
    sent.refresh_from_db()
    assert sent.status == OutboxMessage.Status.SENT
    assert _no_worker == [1]


def test_retry_of_messages_that_did_not_fail_says_so(client, superuser):
    pending = make_message(OutboxMessage.Status.PENDING, attempts=3)
    client.force_login(superuser)

    response = client.post(CHANGELIST, {"action": "retry", "_selected_action": [pending.pk], "index": 0}, follow=True)

    assert "Chỉ gửi lại được các thông báo ở trạng thái “Gửi lỗi”." in response.content.decode()
    pending.refresh_from_db()
    assert pending.attempts == 3


def test_superuser_cannot_add_change_or_delete(client, superuser):
    message = make_message(OutboxMessage.Status.FAILED)
    client.force_login(superuser)

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"recipient": "x@example.vn", "body": "x", "channel": "email"}).status_code == 403
    assert client.post(change_url(message), {"recipient": "khac@example.vn", "status": "sent"}).status_code == 403
    delete = reverse("admin:portal_outboxmessage_delete", args=[message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    message.refresh_from_db()
    assert message.recipient == "cong.dan@example.vn"
    assert message.status == OutboxMessage.Status.FAILED
    assert OutboxMessage.objects.count() == 1


def test_agency_admin_is_refused_even_with_model_permissions(client, agency_admin):
    agency_admin.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="portal", codename__endswith="_outboxmessage")
    )
    failed = make_message(OutboxMessage.Status.FAILED)
    client.force_login(agency_admin)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(failed)).status_code == 403
    assert client.post(CHANGELIST, {"action": "retry", "_selected_action": [failed.pk], "index": 0}).status_code == 403
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.FAILED
    assert CHANGELIST not in client.get(reverse("admin:index")).content.decode()


def test_the_changelist_queries_do_not_grow_with_rows(client, superuser):
    # Session, user; one COUNT (show_full_result_count is off); the page of messages; the user's role groups
    # (the site shell).
    client.force_login(superuser)
    make_message()

    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for n in range(6):
        make_message(recipient=f"nguoi{n}@example.vn")
    with CaptureQueriesContext(connection) as seven:
        client.get(CHANGELIST)

    assert len(seven) == len(one)


def test_outbox_admin_speaks_vietnamese(client, superuser):
    make_message(OutboxMessage.Status.FAILED, last_error="550 no such user")
    client.force_login(superuser)

    listing = client.get(CHANGELIST).content.decode()
    detail = client.get(change_url(OutboxMessage.objects.get())).content.decode()

    for header in ("Kênh gửi", "Người nhận", "Tiêu đề", "Trạng thái", "Số lần đã thử", "Thử lại lúc", "Gửi xong lúc"):
        assert header in listing
    assert "Lỗi lần gửi gần nhất" in detail
    for english in ("Recipient", "Next attempt", "Last error", "Dedupe key"):
        assert english not in listing + detail
