"""The mixed load of bench/bench_mixed.py (locust): anonymous visitors, citizens, reception officers.

Not run alone: bench/bench_mixed.py prepares the database, writes what the users need (accounts, codes to look
up, the procedure to apply for and its files) to the JSON file named by BENCH_MIXED_DATA, starts gunicorn and runs
locust against it. Users wait no time between tasks (a closed loop): the server is kept busy, so the requests per
second measure what it serves under this mix. Every request is named after its endpoint (locust's statistics are
per name); an answer other than the expected status counts as a failure.

- Visitor (weight 13): the catalogue, a catalogue search, a procedure's page, the public lookup (API and page).
- Officer (weight 4): signs in as the busiest agency's reception officer, then its queues, a search, page 2.
- Citizen (weight 3): signs in, lists its dossiers, and sometimes submits a dossier with a file (the API's
  multipart submission, with the session and its CSRF token).
- FloorUser: the same number of users asking the empty Django view only (the floor of the run; bench_mixed.py
  names the user classes of each run on locust's command line).
"""

import json
import os
import random
import re
import uuid
from base64 import b64decode
from pathlib import Path

from locust import HttpUser, constant, task

DATA = json.loads(Path(os.environ["BENCH_MIXED_DATA"]).read_text()) if "BENCH_MIXED_DATA" in os.environ else {}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _check(response, expected: int = 200, contains: str = ""):
    with response as answer:
        if answer.status_code != expected:
            answer.failure(f"status {answer.status_code}")
        elif contains and contains not in answer.text:
            answer.failure(f"no {contains!r} in the answer")


class PortalUser(HttpUser):
    abstract = True
    wait_time = constant(0)

    def sign_in(self, email: str) -> None:
        page = self.client.get("/dang-nhap/", name="sign-in page")
        token = CSRF_INPUT.search(page.text)
        answer = self.client.post(
            "/dang-nhap/",
            data={
                "username": email,
                "password": DATA["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign-in (POST)",
            allow_redirects=False,
            catch_response=True,
        )
        _check(answer, expected=302)


class Visitor(PortalUser):
    weight = 13

    @task(4)
    def catalogue(self):
        _check(self.client.get("/thu-tuc/", name="catalogue", catch_response=True))

    @task(3)
    def catalogue_search(self):
        word = random.choice(DATA["catalogue_words"])  # noqa: S311 - load generation, not security
        _check(self.client.get("/thu-tuc/", params={"q": word}, name="catalogue search", catch_response=True))

    @task(2)
    def procedure(self):
        code = random.choice(DATA["procedure_codes"])  # noqa: S311
        _check(self.client.get(f"/thu-tuc/{code}/", name="procedure page", catch_response=True))

    @task(4)
    def lookup_api(self):
        code, factor = random.choice(DATA["lookup_sample"])  # noqa: S311
        answer = self.client.post(
            "/api/v1/lookup/",
            json={"code": code, "second_factor": factor},
            name="lookup API",
            catch_response=True,
        )
        _check(answer, contains='"status"')

    @task(2)
    def lookup_page(self):
        page = self.client.get("/tra-cuu/", name="lookup page (GET)")
        token = CSRF_INPUT.search(page.text)
        code, factor = random.choice(DATA["lookup_sample"])  # noqa: S311
        answer = self.client.post(
            "/tra-cuu/",
            data={"code": code, "second_factor": factor, "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="lookup page (POST)",
            catch_response=True,
        )
        _check(answer, contains="lookup-result")


class Officer(PortalUser):
    weight = 4

    def on_start(self):
        self.sign_in(DATA["officer_email"])

    def queue(self, name: str, label: str, **params):
        path = f"/can-bo/hang-doi/{name}/"
        _check(self.client.get(path, params=params, name=label, catch_response=True), contains="queue-tab")

    @task(4)
    def new(self):
        self.queue("new", "queue new")

    @task(3)
    def received(self):
        self.queue("received", "queue received")

    @task(2)
    def results(self):
        self.queue("results", "queue results")

    @task(2)
    def overdue(self):
        self.queue("overdue", "queue overdue")

    @task(2)
    def search(self):
        self.queue("received", "queue search", q=random.choice(DATA["applicant_words"]))  # noqa: S311

    @task(2)
    def page_2(self):
        self.queue("new", "queue new, page 2", page=2)


class Citizen(PortalUser):
    weight = 3

    def on_start(self):
        self.sign_in(DATA["citizen_emails"][random.randrange(len(DATA["citizen_emails"]))])  # noqa: S311

    @task(5)
    def my_dossiers(self):
        _check(self.client.get("/ho-so-cua-toi/", name="my dossiers", catch_response=True))

    @task(1)
    def submit(self):
        application = DATA["application"]
        pdf = b64decode(application["pdf"])
        files = [
            (f"document_{component}", ("giay-to.pdf", pdf, "application/pdf")) for component in application["documents"]
        ]
        answer = self.client.post(
            "/api/v1/dossiers/",
            data={
                "procedure": application["procedure"],
                "form_data": json.dumps(application["form_data"]),
                "delivery_method": application["delivery_method"],
            },
            files=files,
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Idempotency-Key": str(uuid.uuid4())},
            name="submit with a file (API)",
            catch_response=True,
        )
        _check(answer, expected=201)


class FloorUser(HttpUser):
    """The floor: the same closed loop on the empty Django view (bench/urls.py)."""

    wait_time = constant(0)

    @task
    def empty(self):
        _check(self.client.get("/bench/empty/", name="empty view", catch_response=True))
