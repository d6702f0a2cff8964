"""Assignment (reception or the leader gives a dossier to a specialist, or to another one with a reason), the four
eyes of approval, and refusal at the desk before reception only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers import services
from dossiers.constants import Action, DossierStatus, Outcome
from dossiers.error_codes import ErrorCode
from dossiers.models import DossierEvent
from portal.constants import Role
from portal.models import User
from tests.factories import ProcedureFactory, UserFactory, dossier_in_status, pdf_upload

pytestmark = pytest.mark.django_db

S = DossierStatus


@pytest.fixture
def processing(agency):
    """A forwarded dossier nobody has taken yet, with the agency's people, and a second specialist."""
    dossier, people = dossier_in_status(S.PROCESSING, procedure=ProcedureFactory(agency=agency))
    people["other_specialist"] = UserFactory(processing_officer=True, agency=agency, full_name="Đỗ Thị Hạnh")
    return dossier, people


def assign_url(dossier) -> str:
    return reverse("dossiers:officer-action", args=[dossier.pk, Action.ASSIGN])


def page_messages(client, response) -> list[str]:
    return [str(m) for m in client.get(response.url).context["messages"]]


def test_reception_assigns_then_reassigns_with_a_reason_on_the_timeline(client, processing):
    dossier, people = processing
    first, second = people["processing"], people["other_specialist"]
    client.force_login(people["reception"])

    response = client.post(assign_url(dossier), {"assign-assignee": first.pk, "assign-seen_assignee": 0})
    assert page_messages(client, response) == [f"Đã giao hồ sơ {dossier.code} cho chuyên viên xử lý."]

    # Reassigning without a reason is refused, nothing changes
    response = client.post(assign_url(dossier), {"assign-assignee": second.pk, "assign-seen_assignee": first.pk})
    assert page_messages(client, response) == ["Hãy nêu lý do giao lại hồ sơ cho chuyên viên khác."]
    dossier.refresh_from_db()
    assert dossier.assignee == first

    response = client.post(
        assign_url(dossier),
        {"assign-assignee": second.pk, "assign-seen_assignee": first.pk, "assign-reason": "Chị Hạnh nghỉ phép"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.assignee == second
    event = DossierEvent.objects.filter(dossier=dossier, action=Action.ASSIGN).latest("id")
    assert (event.note, event.receiver, event.actor) == ("Chị Hạnh nghỉ phép", second, people["reception"])
    assert event.extra_data == {"old_assignee_id": first.pk, "new_assignee_id": second.pk}
    # The officer page's timeline shows the reason
    assert "Chị Hạnh nghỉ phép" in client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).content.decode()


def test_the_leader_reassigns_and_the_specialist_may_not(client, processing):
    dossier, people = processing
    services.dossier_take(dossier=dossier, officer=people["processing"])

    client.force_login(people["processing"])
    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk]))
    assert Action.ASSIGN not in [form.action for form in page.context["action_forms"]]
    refused = client.post(
        assign_url(dossier), {"assign-assignee": people["other_specialist"].pk, "assign-reason": "Tự chuyển"}
    )
    assert page_messages(client, refused) == ["Bạn không có quyền thực hiện thao tác này với hồ sơ."]

    client.force_login(people["approver"])
    client.post(
        assign_url(dossier),
        {
            "assign-assignee": people["other_specialist"].pk,
            "assign-seen_assignee": people["processing"].pk,
            "assign-reason": "Cân đối việc",
        },
    )
    dossier.refresh_from_db()
    assert dossier.assignee == people["other_specialist"]


def test_a_specialist_of_another_agency_cannot_be_assigned(client, processing):
    dossier, people = processing
    stranger = UserFactory(processing_officer=True)
    client.force_login(people["reception"])

    response = client.post(assign_url(dossier), {"assign-assignee": stranger.pk, "assign-seen_assignee": 0})

    assert page_messages(client, response) == ["Người được giao phải là chuyên viên xử lý của cơ quan."]
    dossier.refresh_from_db()
    assert dossier.assignee is None


def test_an_assignment_made_meanwhile_is_told_not_overridden(client, processing):
    dossier, people = processing
    # Another officer gave it to the first specialist after this page was shown (it showed nobody in charge)
    services.dossier_assign(dossier=dossier, officer=people["approver"], assignee=people["processing"])
    client.force_login(people["reception"])

    response = client.post(
        assign_url(dossier),
        {"assign-assignee": people["other_specialist"].pk, "assign-seen_assignee": 0, "assign-reason": "Giao lại"},
    )

    assert page_messages(client, response) == [
        f"Trong lúc bạn xem, chuyên viên xử lý hồ sơ đã thay đổi (hiện tại: {people['processing'].full_name}). "
        "Hãy xem lại."
    ]
    dossier.refresh_from_db()
    assert dossier.assignee == people["processing"]
    # The API says the same with its code
    api = APIClient()
    api.force_authenticate(people["reception"])
    answer = api.post(
        f"/api/v1/dossiers/{dossier.code}/assign/",
        {"assignee": people["other_specialist"].pk, "reason": "Giao lại", "seen_assignee_id": None},
        format="json",
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == ErrorCode.ASSIGNEE_CHANGED


def test_api_refuses_a_reassignment_without_reason_and_a_missing_assignee(processing):
    dossier, people = processing
    services.dossier_take(dossier=dossier, officer=people["processing"])
    api = APIClient()
    api.force_authenticate(people["reception"])
    url = f"/api/v1/dossiers/{dossier.code}/assign/"

    assert api.post(url, {}, format="json").status_code == 400
    answer = api.post(url, {"assignee": people["other_specialist"].pk}, format="json")

    assert answer.status_code == 400
    assert "lý do" in str(answer.json())
    dossier.refresh_from_db()
    assert dossier.assignee == people["processing"]


# --- four eyes ---------------------------------------------------------------------------------------


@pytest.fixture
def own_proposal(agency):
    """A dossier proposed by a leader who is also a specialist."""
    leader = UserFactory(processing_officer=True, agency=agency)
    leader.groups.add(Group.objects.get(name=Role.APPROVER))
    leader = User.objects.get(pk=leader.pk)  # its roles read afresh
    dossier, people = dossier_in_status(S.PROCESSING, procedure=ProcedureFactory(agency=agency))
    dossier = services.dossier_take(dossier=dossier, officer=leader)
    dossier = services.dossier_propose(
        dossier=dossier, officer=leader, outcome=Outcome.RESULT, result_file=pdf_upload("ket-qua.pdf")
    )
    return dossier, leader, people


def test_an_approver_cannot_approve_its_own_proposal_and_the_page_says_why(client, own_proposal):
    dossier, leader, _people = own_proposal
    client.force_login(leader)

    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk]))

    assert Action.APPROVE not in [form.action for form in page.context["action_forms"]]
    assert 'data-refusal="own_proposal"' in page.content.decode()
    assert "Bạn đã trình đề xuất này nên không tự phê duyệt được" in page.content.decode()
    api = APIClient()
    api.force_authenticate(leader)
    answer = api.post(f"/api/v1/dossiers/{dossier.code}/approve/", {}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (409, ErrorCode.OWN_PROPOSAL)
    dossier.refresh_from_db()
    assert dossier.status == S.AWAITING_APPROVAL


def test_another_approver_approves_it(client, own_proposal):
    dossier, _leader, people = own_proposal
    client.force_login(people["approver"])

    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk]))
    assert page.context["approval_refusal"] is None
    client.post(reverse("dossiers:officer-action", args=[dossier.pk, Action.APPROVE]))

    dossier.refresh_from_db()
    assert dossier.status == S.RESULT_READY


def test_an_agency_without_four_eyes_lets_the_proposer_approve(own_proposal):
    dossier, leader, _people = own_proposal
    dossier.agency.four_eyes_approval = False
    dossier.agency.save(update_fields=["four_eyes_approval"])

    dossier = services.dossier_approve(dossier=dossier, approver=leader)

    assert dossier.status == S.RESULT_READY


def test_sending_back_forgets_the_proposer(own_proposal):
    dossier, leader, people = own_proposal

    dossier = services.dossier_send_back(dossier=dossier, approver=people["approver"], note="Bổ sung căn cứ")

    assert dossier.proposed_by is None


# --- refusal at the desk -----------------------------------------------------------------------------


def test_refusal_is_offered_before_reception_only(client, agency):
    dossier, people = dossier_in_status(S.SUBMITTED, procedure=ProcedureFactory(agency=agency))
    client.force_login(people["reception"])
    page_url = reverse("dossiers:officer-dossier", args=[dossier.pk])
    assert "Từ chối tiếp nhận" in client.get(page_url).content.decode()

    services.dossier_receive(dossier=dossier, officer=people["reception"])

    assert "Từ chối tiếp nhận" not in client.get(page_url).content.decode()
    response = client.post(reverse("dossiers:officer-action", args=[dossier.pk, Action.REFUSE]), {"refuse-reason": "x"})
    assert page_messages(client, response)[0].startswith("Không thể từ chối tiếp nhận")
    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED
