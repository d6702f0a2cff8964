"""Dossiers in the Django admin (/quan-tri/): system administrators look, nobody edits there.

Every change to a dossier goes through the services (locked transition, event, notifications), so the admin
is read-only even for superusers, and agency administrators (staff for the procedure catalogue) do not see
dossiers there at all.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierEvent
from tests.factories import DossierFactory, dossier_in_status, pdf_upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:dossiers_dossier_changelist")
ADD = reverse("admin:dossiers_dossier_add")


def change_url(dossier) -> str:
    return reverse("admin:dossiers_dossier_change", args=[dossier.pk])


def delete_url(dossier) -> str:
    return reverse("admin:dossiers_dossier_delete", args=[dossier.pk])


@pytest.fixture
def received():
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED)
    return dossier


# --- superusers: read-only ------------------------------------------------------------------------


def test_superuser_lists_dossiers_with_their_queue_columns(client, superuser, received):
    client.force_login(superuser)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [dossier.pk for dossier in response.context["cl"].result_list] == [received.pk]
    assert list(response.context["cl"].list_display) == [
        "code",
        "procedure",
        "agency",
        "status",
        "channel",
        "submitted_at",
        "due_at",
        "timeliness",
    ]
    assert received.code in response.content.decode()
    assert ADD not in response.content.decode()
    # No bulk delete either: no action at all
    assert response.context["action_form"] is None or not [
        name for name, _label in response.context["action_form"].fields["action"].choices if name
    ]


def test_superuser_searches_by_applicant_name_and_filters_by_status(client, superuser):
    lan = DossierFactory(applicant_name="Nguyễn Thị Lan", status=DossierStatus.SUBMITTED)
    DossierFactory(applicant_name="Trần Văn Hùng", status=DossierStatus.SUBMITTED)
    returned = DossierFactory(applicant_name="Nguyễn Thị Lan", status=DossierStatus.RETURNED)
    client.force_login(superuser)

    by_name = client.get(CHANGELIST, {"q": "Thị Lan"})
    by_name_and_status = client.get(CHANGELIST, {"q": "Thị Lan", "status__exact": DossierStatus.RETURNED})
    by_code = client.get(CHANGELIST, {"q": lan.code})

    assert {d.pk for d in by_name.context["cl"].result_list} == {lan.pk, returned.pk}
    assert [d.pk for d in by_name_and_status.context["cl"].result_list] == [returned.pk]
    assert [d.pk for d in by_code.context["cl"].result_list] == [lan.pk]


def test_superuser_views_a_dossier_with_its_events_and_permission_checked_file_links(client, superuser, received):
    client.force_login(superuser)

    response = client.get(change_url(received))

    assert response.status_code == 200
    page = response.content.decode()
    # Read-only: no save buttons, no editable inputs for the dossier's fields
    assert 'name="_save"' not in page
    assert 'name="applicant_name"' not in page
    # The timeline is there
    events = response.context["inline_admin_formsets"][0].formset.queryset
    assert list(events.values_list("to_status", flat=True)) == list(
        DossierEvent.objects.filter(dossier=received).values_list("to_status", flat=True)
    )
    assert len(events) >= 2
    # Files link to the download view that checks access, never to MEDIA_URL
    [document] = received.documents.all()
    download = reverse("dossiers:document-download", args=[received.pk, document.pk])
    assert f'href="{download}"' in page
    assert "/media/" not in page
    assert document.file.name not in page
    # ... and the link works for the superuser
    file_response = client.get(download)
    assert file_response.status_code == 200
    assert file_response["Content-Disposition"].startswith("attachment")


def test_a_drafts_files_are_named_without_a_link(client, superuser):
    # A draft is its applicant's alone: the download view answers 404 to anyone else, so no dead link.
    draft, _officers = dossier_in_status(DossierStatus.DRAFT)
    services.dossier_add_documents(
        dossier=draft,
        applicant=draft.applicant,
        required_document=draft.procedure.documents.get(),
        files=[pdf_upload("don-nhap.pdf")],
    )
    client.force_login(superuser)

    page = client.get(change_url(draft)).content.decode()

    assert "don-nhap.pdf" in page
    assert reverse("dossiers:document-download", args=[draft.pk, draft.documents.get().pk]) not in page


def test_superuser_cannot_add_change_or_delete(client, superuser, received):
    client.force_login(superuser)
    before = Dossier.objects.values().get(pk=received.pk)

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"applicant_name": "Giả mạo"}).status_code == 403
    assert client.post(change_url(received), {"applicant_name": "Đổi tên", "status": "returned"}).status_code == 403
    assert client.get(delete_url(received)).status_code == 403
    assert client.post(delete_url(received), {"post": "yes"}).status_code == 403
    # A forged bulk delete is ignored (the action does not exist here)
    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [received.pk], "post": "yes"})

    assert Dossier.objects.values().get(pk=received.pk) == before


# --- everyone else --------------------------------------------------------------------------------


@pytest.fixture
def agency_admin_with_view_permissions(agency_admin):
    """An agency administrator even given the model's view permission by mistake."""
    agency_admin.user_permissions.add(
        Permission.objects.get(content_type__app_label="dossiers", codename="view_dossier"),
        Permission.objects.get(content_type__app_label="dossiers", codename="change_dossier"),
    )
    return agency_admin


def test_agency_admin_does_not_see_dossiers_in_the_admin(client, agency_admin_with_view_permissions, received):
    client.force_login(agency_admin_with_view_permissions)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(received)).status_code == 403
    assert client.post(change_url(received), {"applicant_name": "Đổi tên"}).status_code == 403
    assert client.get(ADD).status_code == 403
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert CHANGELIST not in index.content.decode()
    assert all(app["app_label"] != "dossiers" for app in index.context["app_list"])


def test_superuser_sees_dossiers_on_the_admin_index(client, superuser):
    client.force_login(superuser)

    index = client.get(reverse("admin:index"))

    assert CHANGELIST in index.content.decode()


def test_an_officer_is_sent_to_the_admin_login(client, received):
    reception = received.events.exclude(actor=None).first().actor
    client.force_login(reception)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- query counts ---------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_changelist_queries_do_not_grow_with_rows(client, superuser):
    # Session, user; the agencies of the agency filter; one COUNT (show_full_result_count is off); the page
    # of dossiers with procedure and agency joined; the user's role groups (the site shell).
    client.force_login(superuser)
    DossierFactory()
    one = count_queries(client, CHANGELIST)

    DossierFactory.create_batch(6)
    seven = count_queries(client, CHANGELIST)

    assert seven == one


def test_the_change_page_queries_do_not_grow_with_events_or_files(client, superuser, received):
    # Session, user; the dossier; its events with actor and receiver joined; its files with their component,
    # uploader and dossier joined; content types (admin links); the user's role groups (the site shell); the
    # procedure, agency and applicant shown by the read-only foreign keys.
    client.force_login(superuser)
    few = count_queries(client, change_url(received))

    actor = received.events.exclude(actor=None).first().actor
    for n in range(5):
        DossierEvent.objects.create(
            dossier=received, action="receive", actor=actor, receiver=actor, to_status="received", note=f"ghi chú {n}"
        )
    document = received.documents.get()
    for n in range(4):
        received.documents.create(
            file=document.file.name,
            original_name=f"them-{n}.pdf",
            content_type="application/pdf",
            size=document.size,
            sha256=document.sha256,
            required_document=document.required_document,
            uploaded_by=document.uploaded_by,
        )
    many = count_queries(client, change_url(received))

    assert many == few
