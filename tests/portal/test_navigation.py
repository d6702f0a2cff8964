"""The header shows each person the way to their own work, and nothing else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse, reverse_lazy

from portal.auth import EmailOrIdentifierBackend, permission_names
from portal.constants import Role
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_anonymous_sees_the_public_links_only(client):
    body = client.get(reverse("home")).content.decode()

    assert reverse("dossiers:lookup") in body
    assert reverse("dossiers:my-dossiers") not in body
    assert reverse("dossiers:officer-home") not in body


def test_citizen_sees_its_dossiers_but_no_workbench(client, citizen):
    client.force_login(citizen)
    body = client.get(reverse("home")).content.decode()

    assert reverse("dossiers:my-dossiers") in body
    assert reverse("dossiers:officer-home") not in body


def test_officer_sees_the_workbench_and_its_agency(client, reception_officer):
    client.force_login(reception_officer)
    body = client.get(reverse("home")).content.decode()

    assert reverse("dossiers:officer-home") in body
    assert reception_officer.agency.name in body


def test_agency_admin_without_a_dossier_role_gets_no_workbench_link(client, agency_admin):
    client.force_login(agency_admin)
    body = client.get(reverse("home")).content.decode()

    assert reverse("dossiers:officer-home") not in body


def test_reception_officer_sees_its_desk_and_intake_but_no_applicant_pages(client, reception_officer):
    client.force_login(reception_officer)
    body = client.get(reverse("home")).content.decode()

    assert reverse("dossiers:officer-intake") in body
    assert reverse("dossiers:my-dossiers") not in body
    assert "Hồ sơ của tôi" not in body
    assert reverse("dossiers:officer-queue", args=["awaiting_approval"]) not in body


def test_approver_sees_what_awaits_approval_and_its_statistics(client, approver):
    client.force_login(approver)
    body = client.get(reverse("home")).content.decode()

    assert reverse("dossiers:officer-queue", args=["awaiting_approval"]) in body
    assert reverse("reporting:agency") in body
    assert reverse("dossiers:officer-intake") not in body


def test_agency_admin_sees_its_agency_procedures(client, agency_admin):
    client.force_login(agency_admin)
    body = client.get(reverse("home")).content.decode()

    assert reverse("admin:procedures_procedure_changelist") in body
    assert reverse("dossiers:my-dossiers") not in body


# --- where each role lands after signing in ---------------------------------------------------------


@pytest.mark.parametrize(
    "who, landing",
    [
        ("citizen", reverse_lazy("home")),
        ("reception_officer", reverse_lazy("dossiers:officer-home")),
        ("processing_officer", reverse_lazy("dossiers:officer-home")),
        ("approver", reverse_lazy("dossiers:officer-queue", args=["awaiting_approval"])),
        ("agency_admin", reverse_lazy("admin:procedures_procedure_changelist")),
    ],
)
def test_sign_in_lands_where_the_work_is(client, request, who, landing):
    user = request.getfixturevalue(who)

    response = client.post(reverse("portal:login"), {"username": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == str(landing)
    # and there it works: the page opens for that user
    assert client.get(str(landing)).status_code == 200


def test_a_next_address_still_wins_over_the_landing(client, approver):
    mine = reverse("dossiers:officer-queue", args=["due_soon"])

    response = client.post(
        f"{reverse('portal:login')}?next={mine}", {"username": approver.email, "password": TEST_PASSWORD}
    )

    assert response["Location"] == mine


def test_landing_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("portal:landing"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


# --- the roles are read with the user, and again on every request ---------------------------------------


def test_the_signed_in_user_comes_with_its_roles_in_one_query(reception_officer, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = EmailOrIdentifierBackend().get_user(reception_officer.pk)
        assert user.role_names == {Role.RECEPTION_OFFICER} and user.agency.name == reception_officer.agency.name


def test_the_signed_in_user_comes_with_its_permissions_in_the_same_query(approver, django_assert_num_queries):
    approver.user_permissions.add(Permission.objects.get(codename="view_province_statistics"))
    Group.objects.get(name=Role.APPROVER).permissions.add(Permission.objects.get(codename="view_rating"))
    permission_names(Permission.objects.values_list("pk", flat=True))  # the process's copy, read once in a while

    with django_assert_num_queries(1):
        user = EmailOrIdentifierBackend().get_user(approver.pk)
        assert user.has_perm("reporting.view_province_statistics") and user.has_perm("reporting.view_rating")
        assert not user.has_perm("dossiers.delete_dossier")
        assert user.get_user_permissions() == {"reporting.view_province_statistics"}
        assert user.get_group_permissions() == {"reporting.view_rating"}


def test_a_user_without_permissions_asks_nothing_more_either(reception_officer, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = EmailOrIdentifierBackend().get_user(reception_officer.pk)
        assert not user.has_perm("reporting.view_province_statistics") and user.get_all_permissions() == set()


def test_a_permission_made_after_the_process_read_them_is_named_too(approver):
    permission_names(Permission.objects.values_list("pk", flat=True))
    made = Permission.objects.create(
        codename="see_everything", name="x", content_type=Permission.objects.first().content_type
    )
    approver.user_permissions.add(made)

    user = EmailOrIdentifierBackend().get_user(approver.pk)

    assert user.has_perm(f"{made.content_type.app_label}.see_everything")


def test_a_permission_given_or_taken_shows_on_the_next_page(client, approver):
    client.force_login(approver)
    province = reverse("reporting:province")
    assert client.get(province).status_code == 403

    approver.user_permissions.add(Permission.objects.get(codename="view_province_statistics"))
    assert client.get(province).status_code == 200

    approver.user_permissions.clear()
    assert client.get(province).status_code == 403


def test_a_role_given_or_taken_shows_on_the_next_page(client, agency_admin):
    client.force_login(agency_admin)
    assert reverse("dossiers:officer-home") not in client.get(reverse("home")).content.decode()

    agency_admin.groups.add(Group.objects.get(name=Role.APPROVER))
    body = client.get(reverse("home")).content.decode()
    assert reverse("dossiers:officer-home") in body and reverse("reporting:agency") in body

    agency_admin.groups.remove(Group.objects.get(name=Role.APPROVER))
    assert reverse("dossiers:officer-home") not in client.get(reverse("home")).content.decode()


def test_the_kept_menu_is_each_ones_own_on_the_same_page(client, approver, reception_officer):
    # The shell's menu is rendered once per language, page and roles and kept (templates/base.html): one after the
    # other on the same page, each sees its own menu.
    page, approval = reverse("home"), reverse("dossiers:officer-queue", args=["awaiting_approval"])
    client.force_login(approver)
    assert approval in client.get(page).content.decode()

    client.force_login(reception_officer)
    body = client.get(page).content.decode()
    assert approval not in body and reverse("dossiers:officer-intake") in body

    client.logout()
    body = client.get(page).content.decode()
    assert reverse("dossiers:officer-home") not in body and reverse("portal:login") in body
    client.cookies["django_language"] = "en"
    assert '<span class="lang-switch__current" lang="en" aria-current="true">' in client.get(page).content.decode()


def test_the_menu_marks_the_approval_queue_and_made_up_queue_names_keep_no_menus(client, approver, citizen):
    from django.core.cache import caches

    client.force_login(approver)
    approval_queue = reverse("dossiers:officer-queue", args=["awaiting_approval"])
    approval = client.get(approval_queue).content.decode()
    desk = client.get(reverse("dossiers:officer-queue", args=["received"])).content.decode()
    assert f'href="{approval_queue}" aria-current="page"' in approval
    assert f'href="{reverse("dossiers:officer-home")}" aria-current="page"' in desk

    # Any address text a visitor makes up is one menu, not one kept copy each.
    client.force_login(citizen)
    fragments = caches["fragments"]
    client.get(reverse("dossiers:officer-queue", args=["made-up-0"]))
    kept = len(fragments._cache)
    for number in range(1, 6):
        client.get(reverse("dossiers:officer-queue", args=[f"made-up-{number}"]))
    assert len(fragments._cache) == kept
