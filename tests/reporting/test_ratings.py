"""Satisfaction ratings: the applicant rates a returned dossier once, on its dossier page or at the kiosk; nothing is
saved on a refusal; officers neither rate nor see who rated."""

import pytest

from dossiers.constants import DossierStatus as S
from reporting.constants import RatingLevel, RatingSource
from reporting.models import Rating
from tests.factories import UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned():
    dossier, officers = dossier_in_status(S.RETURNED)
    return dossier, officers


def rate_url(dossier) -> str:
    return f"/ho-so-cua-toi/{dossier.pk}/danh-gia/"


def test_the_applicant_rates_a_returned_dossier_once_on_its_page(client, returned):
    dossier, _ = returned
    client.force_login(dossier.applicant)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Đánh giá mức độ hài lòng" in page and "Rất hài lòng" in page

    response = client.post(
        rate_url(dossier), {"level": RatingLevel.VERY_SATISFIED, "comment": " Nhanh, gọn. "}, follow=True
    )

    rating = Rating.objects.get(dossier=dossier)
    assert (rating.level, rating.comment, rating.source) == (
        RatingLevel.VERY_SATISFIED,
        "Nhanh, gọn.",
        RatingSource.DOSSIER_PAGE,
    )
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    assert "Bạn đã đánh giá việc giải quyết hồ sơ này" in response.content.decode()

    again = client.post(rate_url(dossier), {"level": RatingLevel.UNSATISFIED}, follow=True)

    assert "Mỗi hồ sơ chỉ đánh giá một lần" in again.content.decode()
    assert Rating.objects.get(dossier=dossier).level == RatingLevel.VERY_SATISFIED


def test_a_dossier_not_handed_back_cannot_be_rated(client):
    dossier, _ = dossier_in_status(S.RESULT_READY)
    client.force_login(dossier.applicant)

    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    response = client.post(rate_url(dossier), {"level": RatingLevel.SATISFIED}, follow=True)

    assert "Đánh giá mức độ hài lòng" not in page
    assert "chỉ được đánh giá sau khi đã trả kết quả" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("data", [{}, {"level": "7"}, {"level": "3", "comment": "x" * 1001}])
def test_a_bad_rating_is_refused_and_nothing_is_saved(client, returned, data):
    dossier, _ = returned
    client.force_login(dossier.applicant)

    response = client.post(rate_url(dossier), data)

    assert response.status_code == 400
    assert not Rating.objects.exists()
    assert "field--error" in response.content.decode()


def test_nobody_else_rates_the_applicants_dossier(client, returned):
    dossier, officers = returned
    client.force_login(UserFactory(citizen=True))
    assert client.post(rate_url(dossier), {"level": "1"}).status_code == 404
    client.force_login(officers["reception"])
    assert client.post(rate_url(dossier), {"level": "1"}).status_code == 403
    assert not Rating.objects.exists()


def test_officers_do_not_see_who_rated(client, returned):
    dossier, officers = returned
    Rating.objects.create(dossier=dossier, level=RatingLevel.UNSATISFIED, comment="Chậm quá", source="kiosk")
    client.force_login(officers["approver"])

    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()

    assert "Chậm quá" not in page and "Không hài lòng" not in page


def test_the_applicant_rates_at_the_kiosk_with_code_and_second_factor(client, returned):
    dossier, _ = returned
    assert client.get("/danh-gia/").status_code == 200

    response = client.post(
        "/danh-gia/",
        {
            "code": dossier.code.lower(),
            "second_factor": dossier.applicant_id_number[-4:],
            "level": RatingLevel.SATISFIED,
        },
    )

    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    assert Rating.objects.get(dossier=dossier).source == RatingSource.KIOSK


def test_the_kiosk_refuses_a_wrong_second_factor_and_says_nothing_more(client, returned):
    dossier, _ = returned

    response = client.post("/danh-gia/", {"code": dossier.code, "second_factor": "0000", "level": "3"})

    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ phù hợp" in response.content.decode()
    assert "0000" not in response.content.decode()  # the digits are not written back for the next person
    assert not Rating.objects.exists()


def test_the_kiosk_counts_attempts_as_the_lookup_does(client, returned, settings):
    dossier, _ = returned
    settings.LOOKUP_RATE_LIMIT = 1
    client.post("/danh-gia/", {"code": dossier.code, "second_factor": "0000", "level": "3"})

    response = client.post(
        "/danh-gia/", {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:], "level": "3"}
    )

    assert response.status_code == 429 and response["Retry-After"]
    assert not Rating.objects.exists()


def test_an_officer_cannot_rate_at_the_kiosk(client, returned):
    dossier, officers = returned
    client.force_login(officers["reception"])

    response = client.post(
        "/danh-gia/", {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:], "level": "3"}
    )

    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_the_kiosk_refuses_a_second_rating(client, returned):
    dossier, _ = returned
    Rating.objects.create(dossier=dossier, level=RatingLevel.SATISFIED, source=RatingSource.DOSSIER_PAGE)

    response = client.post(
        "/danh-gia/", {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:], "level": "1"}
    )

    assert response.status_code == 409
    assert Rating.objects.get().level == RatingLevel.SATISFIED
