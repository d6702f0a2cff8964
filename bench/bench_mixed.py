"""A mixed load through gunicorn at two database sizes, in alternating rounds, with the empty view as the floor.

    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/bench_mixed.py \\
        --small postgres://postgres@127.0.0.1:5432/portal_bench_1k \\
        --large postgres://postgres@127.0.0.1:5432/portal_bench [--rounds 3] [--seconds 60] [--users 20]

Both databases come from bench/generate_dossiers.py (docs/performance.md). First, for each one, in a process of
its own: the busiest agency's reception officer and three bench citizens (bench.citizen*@bench.local) get the
bench password, and what the users need is written to a JSON file (codes with their second factor to look up,
procedure codes and words to search, the online procedure to apply for, the form data it requires and a one-page
PDF for each required component). Then, in each round: the small database, the large one, and the floor (the
small one's server, every user asking the empty view), each its own gunicorn (`bench.settings`, --workers sync
workers, 127.0.0.1 only) with locust (bench/locustfile.py, --users users: 13 visitors, 4 officers and 3
citizens at 20, no think time) for --seconds. Locust runs on the same cores as the server: the figures compare
targets within the run, they are not a capacity. The report gives, per endpoint, the median over rounds of each
round's p50/p95/p99 at each size and the ratio of the medians; per round, the requests per second of each target,
failures, the large/small ratio and each size against the floor.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from base64 import b64encode
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

from bench.bench_server import _free_port, _start_server  # noqa: E402

BENCH_PASSWORD = "Bench-mat-khau-2026"  # noqa: S105 - the bench accounts of a generated database
CITIZENS = 3
MIXED_CLASSES = ["Visitor", "Officer", "Citizen"]


# --- preparing a database (run in a process of its own, with its DATABASE_URL) ----------------------------------


def _application(procedure) -> dict:
    """What the API needs to submit an online dossier for `procedure`: its required declared data and a PDF for
    each required component."""
    from fpdf import FPDF

    values = {"number": 1, "date": "2026-01-05", "email": "bench@bench.local", "phone": "0912345678"}
    values |= {"citizen_id": "001099012345"}
    form_data = {}
    for spec in procedure.applicant_fields:
        if spec.get("required"):
            if spec["type"] == "choice":
                first = spec["choices"][0]
                form_data[spec["name"]] = first.split("|")[0].strip() if isinstance(first, str) else first[0]
            else:
                form_data[spec["name"]] = values.get(spec["type"], "Bench")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Bench")
    return {
        "procedure": procedure.code,
        "form_data": form_data,
        "delivery_method": "counter",
        "documents": [document.pk for document in procedure.documents.all() if document.is_required],
        "pdf": b64encode(bytes(pdf.output())).decode(),
    }


def prepare(out: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from bench.bench_pages import _lookup_sample, _officers
    from portal.constants import ApplicantType, Role
    from procedures.constants import DeliveryMethod
    from procedures.models import Procedure

    # A database behind the code's migrations would answer some pages with 500s (or worse, quickly).
    call_command("migrate", check_unapplied=True, verbosity=0)
    User = get_user_model()
    _agency, _count, officers = _officers()
    officer = officers["tiepnhan"]
    officer.set_password(BENCH_PASSWORD)
    officer.save(update_fields=["password"])
    citizens = []
    for n in range(CITIZENS):
        citizen, _created = User.objects.get_or_create(
            email=f"bench.citizen{n}@bench.local",
            defaults={"full_name": f"Công dân thử tải {n}", "applicant_type": ApplicantType.CITIZEN},
        )
        citizen.set_password(BENCH_PASSWORD)
        citizen.save(update_fields=["password"])
        citizen.groups.add(Group.objects.get(name=Role.CITIZEN))
        citizens.append(citizen.email)
    online = Procedure.objects.filter(is_active=True, accepts_online=True).prefetch_related("documents")
    # The simplest one to fill: fewest required components, delivered at the counter.
    procedure = min(
        (p for p in online if DeliveryMethod.COUNTER in p.delivery_methods),
        key=lambda p: (sum(d.is_required for d in p.documents.all()), p.code),
    )
    names = list(Procedure.objects.filter(is_active=True).values_list("name", flat=True))
    data = {
        "password": BENCH_PASSWORD,
        "officer_email": officer.email,
        "citizen_emails": citizens,
        "lookup_sample": _lookup_sample(),
        "procedure_codes": list(Procedure.objects.filter(is_active=True).values_list("code", flat=True)),
        "catalogue_words": sorted({word for name in names for word in name.split()[:3] if len(word) > 3})[:20],
        "applicant_words": ["Nguyễn", "Trần", "Lê Văn", "Phạm Thị", "Hoàng"],
        "application": _application(procedure),
    }
    out.write_text(json.dumps(data, ensure_ascii=False))


# --- running ---------------------------------------------------------------------------------------------------


def _prepare_in_process(database_url: str, out: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, __file__, "--prepare", str(out)], env=env, check=True, cwd=ROOT)  # noqa: S603


def _locust(port: int, classes: list[str], data: Path, args, prefix: Path) -> None:
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{args.seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    # locust exits 1 when a request failed: the failures are in its statistics, which the report shows.
    subprocess.run(command, env={**os.environ, "BENCH_MIXED_DATA": str(data)}, cwd=ROOT, check=False)  # noqa: S603


def _read_stats(prefix: Path) -> dict[str, dict]:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {
            row["Name"]: {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
            for row in csv.DictReader(stats)
        }


def _run_target(database_url: str, classes: list[str], data: Path, args, prefix: Path) -> dict[str, dict]:
    port = _free_port()
    server = _start_server(port, args.workers, {"DATABASE_URL": database_url})
    try:
        _locust(port, classes, data, args, prefix)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return _read_stats(prefix)


def _load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def report(rounds: list[dict[str, dict]], args) -> None:
    print(
        f"\n### Mixed load: gunicorn {args.workers} sync workers, locust {args.users} users, {args.seconds} s per "
        f"target, {len(rounds)} rounds, {os.cpu_count()} CPUs\n"
    )
    print(
        "| round | load average before | small req/s | large req/s | floor req/s | large / small | "
        "small / floor | large / floor | failures small / large |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, measured in enumerate(rounds, 1):
        small, large, floor = (measured[t]["Aggregated"] for t in ("small", "large", "floor"))
        print(
            f"| {n} | {measured['load']} | {small['rps']:.1f} | {large['rps']:.1f} | {floor['rps']:.0f} | "
            f"{large['rps'] / small['rps']:.2f} | {100 * small['rps'] / floor['rps']:.1f} % | "
            f"{100 * large['rps'] / floor['rps']:.1f} % | {small['failures']} / {large['failures']} |"
        )
    ratios = [m["large"]["Aggregated"]["rps"] / m["small"]["Aggregated"]["rps"] for m in rounds]
    print(f"\nlarge / small throughput, median of rounds: {statistics.median(ratios):.2f}\n")
    names = [name for name in rounds[0]["small"] if name != "Aggregated"]
    print(
        "| endpoint (median of rounds, ms) | small p50 | p95 | p99 | large p50 | p95 | p99 | large / small p50 |"
        " requests small / large |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in [*sorted(names), "Aggregated"]:
        cells = []
        for size in ("small", "large"):
            rows = [m[size][name] for m in rounds if name in m[size]]
            cells.append(
                {k: statistics.median(r[k] for r in rows) for k in ("p50", "p95", "p99")}
                | {"requests": sum(r["requests"] for r in rows), "failures": sum(r["failures"] for r in rows)}
            )
        small, large = cells
        print(
            f"| {name} | {small['p50']:.0f} | {small['p95']:.0f} | {small['p99']:.0f} | {large['p50']:.0f} | "
            f"{large['p95']:.0f} | {large['p99']:.0f} | {large['p50'] / small['p50']:.2f} | "
            f"{small['requests']:,} / {large['requests']:,} |"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", help="DATABASE_URL of the small database (1,000 dossiers)")
    parser.add_argument("--large", help="DATABASE_URL of the large database (1,000,000 dossiers)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=60, help="locust's run time per target and round")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # the per-database step, in its process
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.prepare)
        return
    if not (args.small and args.large):
        parser.error("--small and --large are required")
    with tempfile.TemporaryDirectory(prefix="bench-mixed-") as work:
        work = Path(work)
        data = {size: work / f"{size}.json" for size in ("small", "large")}
        for size, url in (("small", args.small), ("large", args.large)):
            _prepare_in_process(url, data[size])
        targets = {
            "small": (args.small, MIXED_CLASSES, data["small"]),
            "large": (args.large, MIXED_CLASSES, data["large"]),
            "floor": (args.small, ["FloorUser"], data["small"]),
        }
        rounds = []
        for n in range(args.rounds):
            measured = {"load": _load_average()}
            for target, (url, classes, target_data) in targets.items():
                started = time.monotonic()
                measured[target] = _run_target(url, classes, target_data, args, work / f"{target}-{n}")
                print(
                    f"round {n + 1} {target}: {measured[target]['Aggregated']['rps']:.1f} req/s "
                    f"({time.monotonic() - started:.0f} s, load {_load_average()})",
                    flush=True,
                )
            rounds.append(measured)
        report(rounds, args)


if __name__ == "__main__":
    main()
