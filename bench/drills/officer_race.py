"""Drill: two officers racing every officer transition through the real server. In each pair exactly one succeeds;
the other is refused clearly (a 409 with its code on the API, a flash message on the page), never a 500.

    .venv/bin/python -m bench.drills.officer_race [--rounds 3] [--workers 2]

Everything is the drill's own: a throwaway PostgreSQL (initdb) on a free loopback port and gunicorn serving the
portal on another (bench.settings, no Redis: tasks in-process). For each officer action (dossiers.actions
.OFFICER_ACTIONS) and each surface (API, page), `--rounds` times: a dossier is brought to where the action starts,
with the people who act, by the scenarios of tests/dossiers/test_action_registry.py (the one list a new action must
join), and two officers of the role (or the same specialist twice, for the action only the assignee performs) send
the action at the same moment, each with their own session, from two threads released together. Then: the answers,
the refusal's code (API) or flash message (page, read on the page the answer redirects to), and the dossier's events
of that action, which must be exactly one. Every loop is bounded; the server and the database are stopped and the
folder removed at the end. Exit status 1 when a check fails.
"""

import argparse
import collections
import html
import json
import re
import threading
import uuid
from http.cookies import SimpleCookie

from .services import (
    ThrowawayPostgres,
    django_env,
    free_port,
    host_facts,
    request,
    session_for,
    setup_django,
    start_gunicorn,
    stop,
)

FLASH = re.compile(r'<div class="message message--(\w+)"[^>]*>(.*?)</div>', re.S)


def multipart(fields: dict) -> tuple[bytes, str]:
    """A multipart/form-data body of `fields`: strings, uploaded files (name and bytes), or lists of either."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            if hasattr(value, "read"):
                value.seek(0)
                head = f'Content-Disposition: form-data; name="{name}"; filename="{value.name}"\r\n'
                head += f"Content-Type: {value.content_type}\r\n\r\n"
                parts.append(f"--{boundary}\r\n{head}".encode() + value.read() + b"\r\n")
            else:
                head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
                parts.append(f"--{boundary}\r\n{head}{value}\r\n".encode())
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def at_once(calls: list) -> list:
    """Run the calls in threads released together; their results in call order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index):
        barrier.wait(timeout=30)
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def flash_after(port: int, session: str, answer_headers: dict) -> list[tuple[str, str]]:
    """The flash messages of the page a page-action's answer redirects to, as its browser would show them."""
    location = answer_headers.get("location")
    if not location:
        return []
    cookie = SimpleCookie()
    for line in answer_headers.get("set-cookie", "").splitlines():
        cookie.load(line)
    cookies = f"sessionid={session}" + (f"; messages={cookie['messages'].value}" if "messages" in cookie else "")
    _status, _headers, body, _seconds = request(port, "GET", location, headers={"Cookie": cookies})
    return [(kind, html.unescape(text).strip()) for kind, text in FLASH.findall(body.decode())]


def race(port: int, action: str, surface: str) -> dict:
    from dossiers.actions import ACTIONS
    from dossiers.error_codes import ErrorCode
    from dossiers.models import DossierEvent
    from tests.dossiers.test_action_registry import (
        RACE_REFUSAL,
        SCENARIOS,
        api_action_url,
        api_data,
        form_data,
        given,
        page_action_url,
        second_actor,
    )

    dossier, people = given(action)
    actors = [people[SCENARIOS[action].actor], second_actor(action, dossier, people)]
    sessions = [session_for(actor) for actor in actors]
    if surface == "api":
        url, payloads = api_action_url(dossier, ACTIONS[action]), [api_data(action, dossier) for _ in actors]
    else:
        url, payloads = page_action_url(dossier, action), [form_data(action, dossier) for _ in actors]
    bodies = [multipart(payload) for payload in payloads]
    answers = at_once(
        [
            lambda i=i: request(
                port, "POST", url, session=sessions[i], body=bodies[i][0], headers={"Content-Type": bodies[i][1]}
            )
            for i in range(2)
        ]
    )
    events = DossierEvent.objects.filter(dossier=dossier, action=action)
    result = {
        "statuses": sorted(status for status, _headers, _body, _seconds in answers),
        "events": events.count(),
        "slowest_ms": round(max(seconds for *_rest, seconds in answers) * 1000, 1),
    }
    if surface == "api":
        refused = [json.loads(body) for status, _h, body, _s in answers if status == 409]
        expected = RACE_REFUSAL.get(action, ErrorCode.NOT_IN_STATUS)
        result["refusal"] = refused[0] if refused else None
        result["passed"] = (
            result["statuses"] == [200, 409]
            and result["events"] == 1
            and refused[0]["code"] == expected
            and bool(refused[0]["detail"])
        )
    else:
        told = [flash_after(port, sessions[i], answers[i][1]) for i in range(2)]
        result["told"] = told
        kinds = sorted(tuple(kind for kind, _text in messages) for messages in told)
        result["passed"] = (
            result["statuses"] == [302, 302] and result["events"] == 1 and kinds == [("error",), ("success",)]
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="races per action and surface")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's sync workers")
    args = parser.parse_args()

    database, server = ThrowawayPostgres(), None
    try:
        database.init()
        env = django_env(database.url("drill"), DJANGO_MEDIA_ROOT=str(database.folder / "media"))
        setup_django(env)
        from django.db import connections

        from dossiers.actions import OFFICER_ACTIONS

        connections.close_all()
        port = free_port()
        server = start_gunicorn(port, args.workers, env, database.folder / "gunicorn.log")

        results = collections.defaultdict(list)
        for spec in OFFICER_ACTIONS:
            for surface in ("api", "page"):
                for _round in range(args.rounds):
                    results[f"{spec.action} ({surface})"].append(race(port, spec.action, surface))
        failures = {name: runs for name, runs in results.items() if not all(run["passed"] for run in runs)}
        every_run = [run for runs in results.values() for run in runs]
        statuses = collections.Counter(status for run in every_run for status in run["statuses"])
        examples = {
            name: runs[0].get("refusal", {}).get("code") if "(api)" in name else runs[0]["told"]
            for name, runs in results.items()
        }
        report = {
            "host": host_facts(),
            "load": {"gunicorn_sync_workers": args.workers, "pairs_per_action_and_surface": args.rounds},
            "pairs": len(every_run),
            "answers": dict(statuses),
            "pairs_failed": {name: runs for name, runs in failures.items()},
            "slowest_answer_ms": max(run["slowest_ms"] for run in every_run),
            "first_pair_of_each": examples,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        print("drill: FAILED" if failures else "drill: passed")
        return 1 if failures else 0
    finally:
        stop(server)
        database.remove()


if __name__ == "__main__":
    raise SystemExit(main())
