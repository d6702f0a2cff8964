"""The public lookup page (/tra-cuu/): status by code and a second factor sent by POST, no personal data,
one answer for "no such dossier" and "wrong second factor", rate-limited per client address and per code."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from dossiers.constants import DossierStatus
from dossiers.forms.public import LookupForm
from dossiers.lookup.public import _public_rows, _public_rows_queryset
from dossiers.models import Dossier, DossierEvent
from dossiers.views.public import lookup_not_found_message
from tests.dossiers.lookup_html import shown_code, timeline_labels
from tests.factories import DossierFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus
NOT_FOUND = "Không tìm thấy hồ sơ phù hợp với thông tin đã nhập."


def lookup(client, code, second_factor, **extra):
    return client.post(reverse("dossiers:lookup"), {"code": code, "second_factor": second_factor}, **extra)


def alert(response) -> str:
    """The text of the page's alert box ("" when there is none)."""
    match = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S)
    return match.group(1).strip() if match else ""


def without_volatile_parts(html: str, *codes: str) -> str:
    """The page with the echoed code and the per-response CSRF token blanked, to compare two answers."""
    for code in codes:
        html = html.replace(code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def wrong_digits(dossier) -> str:
    """Four digits that end neither the applicant's ID nor phone."""
    for n in range(10_000):
        digits = f"{n:04d}"
        if not dossier.applicant_id_number.endswith(digits) and not dossier.applicant_phone.endswith(digits):
            return digits
    raise AssertionError("unreachable")


@pytest.fixture
def processing_dossier():
    applicant = UserFactory(citizen=True, phone="0912345678")
    dossier, officers = dossier_in_status(S.PROCESSING, applicant=applicant)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_address="Số 12 phố Lý Bôn, Thái Bình")
    dossier.refresh_from_db()
    return dossier, officers


def test_the_not_found_message_is_the_documented_one():
    assert lookup_not_found_message() == NOT_FOUND


def test_lookup_shows_status_procedure_dates_and_timeline(client, processing_dossier):
    # Given a dossier being processed
    dossier, _ = processing_dossier

    # When anyone looks it up with its code and the last 4 digits of the applicant's ID
    response = lookup(client, dossier.code, dossier.applicant_id_number[-4:])

    # Then the status, the procedure, the agency and each step of the timeline are shown
    assert response.status_code == 200
    html = response.content.decode()
    assert alert(response) == ""
    assert "Đang xử lý" in html
    assert dossier.procedure.name in html
    assert dossier.agency.name in html
    for label in ["Nộp hồ sơ", "Tiếp nhận", "Chuyển xử lý"]:
        assert label in html
    assert shown_code(response) == dossier.code
    assert timeline_labels(response) == ["Nộp hồ sơ", "Tiếp nhận", "Chuyển xử lý"]
    assert 'name="robots" content="noindex"' in html
    assert "no-store" in response["Cache-Control"]


def test_the_timeline_shows_each_step_at_its_local_time(client, processing_dossier):
    # Given a dossier whose first step happened at 02:30 UTC on 25 November 2026 (09:30 in Viet Nam)
    dossier, _ = processing_dossier
    first = dossier.events.order_by("created_at", "id").first()
    DossierEvent.objects.filter(pk=first.pk).update(created_at=datetime(2026, 11, 25, 2, 30, tzinfo=UTC))

    response = lookup(client, dossier.code, dossier.applicant_id_number[-4:])

    # Then the step shows the local time, with the machine-readable time beside it
    html = response.content.decode()
    steps = re.findall(r'<time class="lookup-timeline__time" datetime="([^"]+)">([^<]+)</time>', html)
    assert steps[0] == ("2026-11-25T09:30:00+07:00", "09:30 25/11/2026")
    assert len(steps) == dossier.events.count()


def test_lookup_shows_no_personal_data(client, processing_dossier):
    # Given a dossier with a full set of personal data
    dossier, officers = processing_dossier

    # When it is looked up
    response = lookup(client, dossier.code, dossier.applicant_id_number[-4:])

    # Then neither the applicant's nor an officer's identity appears anywhere in the page
    html = response.content.decode()
    assert response.status_code == 200
    for secret in [
        dossier.applicant_name,
        dossier.applicant_id_number,
        dossier.applicant_phone,
        dossier.applicant_email,
        dossier.applicant_address,
        *(officer.full_name for officer in officers.values()),
    ]:
        assert secret and secret not in html
    # and the digits typed are not put back in the form for the next person at the kiosk
    assert "value=" not in re.search(r'<input [^>]*name="second_factor"[^>]*>', html).group(0)


def test_refusal_reason_is_not_shown(client):
    # Given a dossier refused with a reason (a note, which may name the applicant)
    dossier, officers = dossier_in_status(S.SUBMITTED)
    services.dossier_refuse(dossier=dossier, officer=officers["reception"], reason="Giấy tờ giả mạo, xem hồ sơ XYZ")

    response = lookup(client, dossier.code, dossier.applicant_id_number[-4:])

    html = response.content.decode()
    assert "Không được tiếp nhận, giải quyết" in html
    assert "Giấy tờ giả mạo" not in html


def test_lookup_by_the_last_digits_of_the_phone(client, processing_dossier):
    dossier, _ = processing_dossier

    response = lookup(client, dossier.code, "345678")

    assert shown_code(response) == dossier.code


def test_code_is_read_without_case_or_spaces(client, processing_dossier):
    dossier, _ = processing_dossier

    response = lookup(client, f"  {dossier.code.lower()} ", dossier.applicant_id_number[-4:])

    assert shown_code(response) == dossier.code


def test_wrong_second_factor_and_unknown_code_get_the_identical_answer(client, processing_dossier):
    # Given an existing dossier and a code that does not exist
    dossier, _ = processing_dossier
    unknown = dossier.code[:-4] + ("9999" if not dossier.code.endswith("9999") else "9998")

    # When one is looked up with the wrong digits and the other with the same digits
    digits = wrong_digits(dossier)
    wrong_factor = lookup(client, dossier.code, digits)
    no_such_dossier = lookup(client, unknown, digits)

    # Then both answers carry the same status and message, and the pages differ only by the code echoed
    assert wrong_factor.status_code == no_such_dossier.status_code == 200
    assert alert(wrong_factor) == alert(no_such_dossier) == NOT_FOUND
    assert shown_code(wrong_factor) is None and shown_code(no_such_dossier) is None
    assert without_volatile_parts(wrong_factor.content.decode(), dossier.code) == without_volatile_parts(
        no_such_dossier.content.decode(), unknown
    )


@pytest.mark.parametrize(
    ("digits", "message"),
    [("123", "Hãy nhập ít nhất 4 chữ số cuối."), ("12a4", "Chỉ nhập chữ số (0–9)."), ("", "Hãy nhập 4 số cuối")],
)
def test_second_factor_must_be_four_digits_or_more(client, processing_dossier, digits, message):
    dossier, _ = processing_dossier

    response = lookup(client, dossier.code, dossier.applicant_id_number[-3:] if digits == "123" else digits)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown_code(response) is None
    assert response.context["form"].errors["second_factor"]


def test_missing_code_is_refused_with_a_message(client):
    response = lookup(client, "", "1234")

    assert "Hãy nhập mã hồ sơ." in response.content.decode()
    assert shown_code(response) is None


def test_drafts_are_never_found(client):
    # Given a draft that somehow carries a code (drafts normally have none)
    draft = DossierFactory(status=S.DRAFT, code="000.00.99.H56-261125-7777", applicant_phone="0987654321")

    response = lookup(client, draft.code, "4321")

    assert shown_code(response) is None
    assert alert(response) == NOT_FOUND


def test_code_from_a_qr_code_prefills_the_form(client, processing_dossier):
    # Given the address a QR code on an issued document opens
    dossier, _ = processing_dossier

    response = client.get(reverse("dossiers:lookup"), {"code": dossier.code})

    # Then the form waits for the second factor, without an error or a result
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{dossier.code}"' in html
    assert alert(response) == ""
    assert shown_code(response) is None
    assert "field--error" not in html


def test_rate_limit_answers_429_after_the_limit(client, processing_dossier, settings):
    # Given a low limit of lookups per minute and per address
    settings.LOOKUP_RATE_LIMIT = 3
    dossier, _ = processing_dossier
    digits = dossier.applicant_id_number[-4:]

    # When one address makes more attempts than the limit (right or wrong)
    answers = [lookup(client, dossier.code, wrong_digits(dossier) if i % 2 else digits).status_code for i in range(3)]
    blocked = lookup(client, dossier.code, digits)

    # Then the attempts within the limit are answered and the next one is refused with a message
    assert answers == [200, 200, 200]
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert "Vui lòng thử lại sau 1 phút" in alert(blocked)
    assert shown_code(blocked) is None
    assert dossier.applicant_name not in blocked.content.decode()
    # while another address is still served
    other = lookup(client, dossier.code, digits, REMOTE_ADDR="10.0.0.99")
    assert other.status_code == 200 and shown_code(other) == dossier.code


def test_opening_the_page_without_an_attempt_is_not_counted(client, settings):
    settings.LOOKUP_RATE_LIMIT = 2

    statuses = [client.get(reverse("dossiers:lookup"), {"code": "X"}).status_code for _ in range(5)]

    assert statuses == [200] * 5


def test_a_second_factor_in_the_address_is_never_read(client, processing_dossier, settings):
    # Given the right code and digits put in the address (GET), where logs and histories would keep them
    settings.LOOKUP_RATE_LIMIT = 1
    dossier, _ = processing_dossier
    url = reverse("dossiers:lookup")

    responses = [
        client.get(url, {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]}) for _ in range(3)
    ]

    # Then no lookup is made (and none counted): the form only waits, with the code filled in and no digits
    for response in responses:
        assert response.status_code == 200
        assert shown_code(response) is None
        assert alert(response) == ""
        assert response.context["form"]["second_factor"].value() is None
    assert shown_code(lookup(client, dossier.code, dossier.applicant_id_number[-4:])) == dossier.code


def test_the_form_posts_with_a_csrf_token(client):
    html = client.get(reverse("dossiers:lookup")).content.decode()

    assert re.search(r'<form[^>]+method="post"', html)
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_post_without_the_csrf_token_is_refused(processing_dossier):
    dossier, _ = processing_dossier
    client = Client(enforce_csrf_checks=True)

    response = lookup(client, dossier.code, dossier.applicant_id_number[-4:])

    assert response.status_code == 403


def test_other_methods_are_refused(client):
    assert client.put(reverse("dossiers:lookup")).status_code == 405


def test_query_count_does_not_grow_with_the_timeline(client):
    # Given a dossier with one event and one with a long history
    short, _ = dossier_in_status(S.SUBMITTED)
    long, _ = dossier_in_status(S.RETURNED)
    assert long.events.count() > short.events.count() + 4

    # Expected query: the dossier with its procedure's and agency's names, on each of its events' two columns.
    counts = []
    for dossier in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = lookup(client, dossier.code, dossier.applicant_id_number[-4:])
        assert shown_code(response) == dossier.code
        counts.append(len(queries))
    assert counts == [1, 1]


def test_the_written_out_form_fields_match_the_shared_field_markup(client):
    # The lookup page writes its two fields out when the form is unbound (docs/performance.md): the markup
    # must stay what includes/field.html renders, for a code given by a QR code and for none.
    for initial in ({"code": "000.00.25.H56-260115-0001"}, {}):
        form = LookupForm(initial=initial)
        page = client.get(reverse("dossiers:lookup"), initial).content.decode()
        shared = render_to_string("includes/field.html", {"field": form["code"]}) + render_to_string(
            "includes/field.html", {"field": form["second_factor"]}
        )
        assert " ".join(shared.split()) in " ".join(page.split())


def test_the_lookup_query_compiled_once_reads_what_the_orm_reads():
    # Given a dossier with a long timeline, one with a single event, and a draft (never shown)
    long, _ = dossier_in_status(S.RETURNED)
    short, _ = dossier_in_status(S.SUBMITTED)
    draft = DossierFactory(status=S.DRAFT, code="DRAFT-0001")

    # Then the SQL compiled once (dossiers/lookup/public.py) answers the queryset's rows, converted alike
    for code in (long.code, short.code, draft.code, "NO-SUCH-CODE"):
        assert _public_rows(code) == list(_public_rows_queryset(code))
    assert len(_public_rows(long.code)) == long.events.count() > 4
    assert _public_rows(draft.code) == []


@pytest.mark.django_db(transaction=True)
def test_the_lookup_answers_when_its_prepared_statement_is_gone_and_prepares_it_again():
    # Given the lookup's query prepared on this connection, then dropped behind its back (a session reset)
    dossier, _ = dossier_in_status(S.SUBMITTED)
    expected = list(_public_rows_queryset(dossier.code))
    assert _public_rows(dossier.code) == expected
    with connection.connection.cursor() as cursor:
        cursor.execute("DEALLOCATE dossiers_public_rows")

    # Then the next lookup still answers (plain SQL), and the one after runs the statement prepared again
    assert _public_rows(dossier.code) == expected
    with CaptureQueriesContext(connection) as queries:
        assert _public_rows(dossier.code) == expected
    assert [query["sql"].split("(")[0] for query in queries] == ["EXECUTE dossiers_public_rows"]


@pytest.mark.django_db(transaction=True)
def test_the_lookup_query_is_prepared_once_per_connection_and_survives_a_rollback():
    # Given a dossier, and the lookup's query prepared on a new connection by a transaction that was rolled back
    dossier, _ = dossier_in_status(S.SUBMITTED)
    expected = list(_public_rows_queryset(dossier.code))
    connection.close()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _public_rows(dossier.code) == expected
        raise RuntimeError

    # Then it still answers on this connection, one query each time (the PREPARE is the connection's setup)
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert _public_rows(dossier.code) == expected
        assert [query["sql"].split("(")[0] for query in queries] == ["EXECUTE dossiers_public_rows"]

    # and on a new connection, where it is prepared again
    connection.close()
    assert _public_rows(dossier.code) == expected
