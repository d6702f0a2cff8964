"""Who reads an agency's dossiers: its reception officers, processing officers and approvers only. An agency
administrator manages the catalogue, not the dossiers, and sees only its own applications. The officer pages
show the user's own agency to everyone, a system administrator included; the API lets a system
administrator read every agency's dossiers."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.constants import DocumentKind, DossierStatus
from dossiers.selectors import dossier_visible_to, queue_counts, user_is_dossier_officer
from tests.factories import ProcedureFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus
API = "/api/v1/dossiers/"
NO_AGENCY = "Tài khoản quản trị hệ thống chưa gắn với cơ quan nào nên không có bàn làm việc."
NOT_AN_OFFICER = "Bàn làm việc chỉ dành cho cán bộ tiếp nhận, chuyên viên xử lý và lãnh đạo."


@pytest.fixture
def returned(agency):
    """A dossier of `agency` that went all the way: application files, a result, issued documents."""
    dossier, officers = dossier_in_status(S.RETURNED, procedure=ProcedureFactory(agency=agency, full_online=True))
    return dossier, officers


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def office_urls(dossier) -> dict[str, str]:
    application = dossier.documents.filter(kind=DocumentKind.APPLICATION).first()
    result = dossier.results.get()
    return {
        "officer dossier page": reverse("dossiers:officer-dossier", args=[dossier.pk]),
        "application file": reverse("dossiers:document-download", args=[dossier.pk, application.pk]),
        "result file": reverse("dossiers:result-download", args=[dossier.pk, result.pk]),
        "result source": reverse("dossiers:result-source", args=[dossier.pk, result.pk]),
        "receipt": reverse("dossiers:issued-document", args=[dossier.pk, "receipt"]),
        "control sheet": reverse("dossiers:control-sheet", args=[dossier.pk]),
        "control sheet pdf": reverse("dossiers:control-sheet-pdf", args=[dossier.pk]),
    }


# --- agency administrators ---------------------------------------------------------------------


def test_an_agency_admin_cannot_open_its_agencys_dossiers_or_files(client, agency_admin, returned):
    # Given a dossier of the agency the administrator manages
    dossier, _officers = returned
    client.force_login(agency_admin)

    # When it opens the office's pages and files of that dossier
    answers = {name: client.get(url).status_code for name, url in office_urls(dossier).items()}

    # Then it is refused everywhere: 403 on the officer page (not an officer), 404 elsewhere (not its dossier)
    assert answers == {
        "officer dossier page": 403,
        "application file": 404,
        "result file": 404,
        "result source": 404,
        "receipt": 404,
        "control sheet": 404,
        "control sheet pdf": 404,
    }


def test_an_agency_admin_has_no_workbench(client, agency_admin):
    client.force_login(agency_admin)

    home = client.get(reverse("dossiers:officer-home"))
    queue = client.get(reverse("dossiers:officer-queue", args=["new"]))
    intake = client.get(reverse("dossiers:officer-intake"))

    assert home.status_code == queue.status_code == intake.status_code == 403
    assert NOT_AN_OFFICER in home.content.decode()
    assert queue_counts(officer=agency_admin) == {}


def test_an_agency_admin_cannot_act_on_its_agencys_dossier(client, agency_admin, agency):
    dossier, _officers = dossier_in_status(S.SUBMITTED, procedure=ProcedureFactory(agency=agency))
    client.force_login(agency_admin)

    response = client.post(reverse("dossiers:officer-action", args=[dossier.pk, "receive"]), {"note": ""})

    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_the_api_hides_the_agencys_dossiers_from_its_admin(agency_admin, agency):
    dossier, _officers = dossier_in_status(S.SUBMITTED, procedure=ProcedureFactory(agency=agency))
    client = api_client_for(agency_admin)

    listed = client.get(API)
    detail = client.get(f"{API}{dossier.code}/")
    receive = client.post(f"{API}{dossier.code}/receive/", {}, format="json")

    assert listed.status_code == 200 and listed.json()["count"] == 0
    assert detail.status_code == 404
    assert receive.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_an_agency_admin_still_sees_its_own_applications(agency_admin, agency):
    own, _officers = dossier_in_status(S.RECEIVED, procedure=ProcedureFactory(agency=agency), applicant=agency_admin)
    other, _officers = dossier_in_status(S.RECEIVED, procedure=own.procedure)

    assert list(dossier_visible_to(user=agency_admin)) == [own]
    assert not user_is_dossier_officer(user=agency_admin, dossier=own)
    assert api_client_for(agency_admin).get(f"{API}{other.code}/").status_code == 404


def test_an_agency_admin_who_is_also_a_reception_officer_works_the_dossiers(client, agency):
    # Given an administrator who also sits at the reception desk
    both = UserFactory(agency_admin=True, agency=agency)
    both.groups.add(*UserFactory(reception_officer=True, agency=agency).groups.all())
    dossier, _officers = dossier_in_status(S.SUBMITTED, procedure=ProcedureFactory(agency=agency))
    client.force_login(both)

    assert client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("dossiers:officer-home")).status_code == 200
    assert api_client_for(both).get(f"{API}{dossier.code}/").status_code == 200


# --- system administrators ---------------------------------------------------------------------


def test_a_superuser_without_an_agency_has_no_workbench(client, superuser, returned):
    dossier, _officers = returned
    client.force_login(superuser)

    for url in (
        reverse("dossiers:officer-home"),
        reverse("dossiers:officer-queue", args=["new"]),
        reverse("dossiers:officer-dossier", args=[dossier.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert NO_AGENCY in response.content.decode()
    response = client.post(reverse("dossiers:officer-action", args=[dossier.pk, "apologize"]), {})
    assert response.status_code == 403


def test_a_superusers_workbench_shows_its_own_agency_only(client, agency):
    # Given a system administrator attached to an agency, and a new dossier there and in another agency
    admin = UserFactory(superuser=True, agency=agency)
    here, _officers = dossier_in_status(S.SUBMITTED, procedure=ProcedureFactory(agency=agency))
    elsewhere, _officers = dossier_in_status(S.SUBMITTED)
    client.force_login(admin)

    # When it opens the workbench and the two dossiers
    home = client.get(reverse("dossiers:officer-queue", args=["new"]))
    own_page = client.get(reverse("dossiers:officer-dossier", args=[here.pk]))
    other_page = client.get(reverse("dossiers:officer-dossier", args=[elsewhere.pk]))

    # Then the counts, the queue and the pages are those of its agency; the other agency's dossier is 404
    assert home.status_code == 200
    assert [row["id"] for row in home.context["rows"]] == [here.pk]
    assert dict(home.context["queues"])[next(q for q, _n in home.context["queues"] if q.name == "new")] == 1
    assert queue_counts(officer=admin)["new"] == 1
    assert own_page.status_code == 200
    assert other_page.status_code == 404
    assert client.post(reverse("dossiers:officer-action", args=[elsewhere.pk, "receive"]), {}).status_code == 404


def test_the_api_lets_a_superuser_read_every_agency(superuser):
    dossiers = [dossier_in_status(S.SUBMITTED)[0] for _ in range(2)]
    client = api_client_for(superuser)

    listed = client.get(API)

    assert {item["code"] for item in listed.json()["results"]} == {d.code for d in dossiers}
    assert client.get(f"{API}{dossiers[0].code}/").status_code == 200
