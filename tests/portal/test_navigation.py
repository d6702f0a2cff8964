"""The header shows each person the way to their own work, and nothing else."""

import pytest
from django.urls import reverse


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
