#!/usr/bin/env python
"""`make bench`: latency and SQL queries of Maillage's main pages through a real server.

For each scale (small, then province): a fresh database (SQLite in a temporary var dir, or the
PostgreSQL database named by DATABASE_URL, whose synthetic data is replaced), `migrate`,
`generate_synthetic --seed 1`, then gunicorn (1 sync worker, DEBUG off, bench.settings) with the
X-Query-Count header on. Each page is requested N times after a warm-up, signed in through the real
login form (platform administrator: worst case, sees every organisation; coordinator of one RLS:
the common case) or with a Bearer token for the API. Two floors are measured in the same run: a
trivial view and a bare page listing the same 50 rows with one query and a minimal template.

The tables go to stdout and into docs/benchmarks.md, between the markers of the database used
(SQLite or PostgreSQL); everything outside those markers, notes included, is kept.
"""

import argparse
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench-maillage-2026"  # noqa: S105 (generate_synthetic's published benchmark password)
TARGET_RATIO = 3.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # "{detail_id}", "{instance_id}"… are filled in from bench/prepare.py
    client: str  # "anonymous", "admin", "coord", "api-admin", "api-coord"
    floor: bool = False
    # "registry", "concertation", "load" (the concertation-load report), "agreements" or "evaluation"
    group: str = "registry"
    scope: str = ""  # for the load report: "province" or "rls", the territory asked for

    def url(self, info: dict) -> str:
        territory = info["province_id"] if self.scope == "province" else info["rls_id"]
        return self.path.format(**info, territory=territory)


LOAD = "/concertation/analytics/load/?territory={territory}&year={year}"
LOAD_API = "/api/v1/analytics/concertation-load?territory={territory}&year={year}"
REGISTER = "/agreements/?status=in_force&kind=service"
DIAGNOSIS = "/evaluation/instances/{diagnosis_instance_id}/diagnosis/"
DIAGNOSIS_API = "/api/v1/instances/{diagnosis_instance_id}/diagnosis/"
RLS_DIAGNOSIS_API = "/api/v1/rls/{rls_id}/diagnosis/"
RESULTS = "/evaluation/campaigns/{campaign_id}/results/"
NETWORK_PAGE = "/evaluation/network/?territory={territory}&year={network_year}"
NETWORK_API = "/api/v1/network/?territory={territory}&year={network_year}"
INSTANCE_MAP_API = "/api/v1/network/instances/?territory={territory}&year={network_year}"
PAGES = [
    Page("trivial view `/healthz`", "/healthz", "anonymous", floor=True),
    Page("bare page: 50 rows, 1 query", "/bench/bare/", "anonymous", floor=True),
    Page("organisation list", "/registry/organisations/", "admin"),
    Page("organisation list", "/registry/organisations/", "coord"),
    Page("organisation detail", "/registry/organisations/{detail_id}/", "admin"),
    Page("organisation detail", "/registry/organisations/{detail_id}/", "coord"),
    Page("API `/api/v1/organizations/`", "/api/v1/organizations/", "api-admin"),
    Page("API `/api/v1/organizations/`", "/api/v1/organizations/", "api-coord"),
    # Concertation (issue 3). The instance: the coordinator's RLS's instance with the most seats (its assembly);
    # the meeting: that RLS's meeting with the most attendance records.
    Page("instance page", "/concertation/instances/{instance_id}/", "admin", group="concertation"),
    Page("instance page", "/concertation/instances/{instance_id}/", "coord", group="concertation"),
    Page("meeting page", "/concertation/meetings/{meeting_id}/", "admin", group="concertation"),
    Page("meeting page", "/concertation/meetings/{meeting_id}/", "coord", group="concertation"),
    Page("API participation", "/api/v1/instances/{instance_id}/participation", "api-admin", group="concertation"),
    Page("API participation", "/api/v1/instances/{instance_id}/participation", "api-coord", group="concertation"),
    # The load report: the whole province as the administrator (worst case), the RLS as its coordinator.
    Page("concertation load, province", LOAD, "admin", group="load", scope="province"),
    Page("concertation load, RLS", LOAD, "coord", group="load", scope="rls"),
    Page("API concertation load, province", LOAD_API, "api-admin", group="load", scope="province"),
    Page("API concertation load, RLS", LOAD_API, "api-coord", group="load", scope="rls"),
    # Agreements (issue 4). The register filtered to the service agreements in force (a full page of 50 as admin,
    # the 40–50 of the RLS as coordinator); the agreement page: the coordinator's RLS's agreement with the most
    # versions, reports and parties; the API list: in force, a full page for both.
    Page("agreement register, in force, service", REGISTER, "admin", group="agreements"),
    Page("agreement register, in force, service", REGISTER, "coord", group="agreements"),
    Page("agreement page", "/agreements/{agreement_id}/", "admin", group="agreements"),
    Page("agreement page", "/agreements/{agreement_id}/", "coord", group="agreements"),
    Page("agreements dashboard", "/agreements/dashboard/", "admin", group="agreements"),
    Page("agreements dashboard", "/agreements/dashboard/", "coord", group="agreements"),
    Page("API `/api/v1/agreements/?status=in_force`", "/api/v1/agreements/?status=in_force", "api-admin",
         group="agreements"),
    Page("API `/api/v1/agreements/?status=in_force`", "/api/v1/agreements/?status=in_force", "api-coord",
         group="agreements"),
    # Evaluation (issue 5). The diagnosis of the coordinator's RLS's assembly (page and API) and of the RLS as a
    # whole (API); the results of the latest campaign sent to that assembly; the RLS's dashboard.
    Page("instance diagnosis", DIAGNOSIS, "admin", group="evaluation"),
    Page("instance diagnosis", DIAGNOSIS, "coord", group="evaluation"),
    Page("API instance diagnosis", DIAGNOSIS_API, "api-admin", group="evaluation"),
    Page("API instance diagnosis", DIAGNOSIS_API, "api-coord", group="evaluation"),
    Page("API RLS diagnosis", RLS_DIAGNOSIS_API, "api-admin", group="evaluation"),
    Page("API RLS diagnosis", RLS_DIAGNOSIS_API, "api-coord", group="evaluation"),
    Page("campaign results", RESULTS, "admin", group="evaluation"),
    Page("campaign results", RESULTS, "coord", group="evaluation"),
    Page("RLS dashboard", "/evaluation/rls/{rls_id}/", "coord", group="evaluation"),
    # Networks (issue 10). The coordinator's RLS, co-membership, the last full year (page and API, computed on
    # request and then kept until something is written); the province, computed by the background task in
    # bench/prepare.py and served stored; the map of concertations of the RLS.
    Page("network page, RLS", NETWORK_PAGE, "admin", group="network"),
    Page("network page, RLS", NETWORK_PAGE, "coord", group="network"),
    Page("API network, RLS", NETWORK_API, "api-admin", group="network"),
    Page("API network, RLS", NETWORK_API, "api-coord", group="network"),
    Page("API network, province (stored)", NETWORK_API, "api-admin", group="network", scope="province"),
    Page("API map of concertations, RLS", INSTANCE_MAP_API, "api-coord", group="network"),
]  # fmt: skip
GROUPS = ("registry", "concertation", "load", "agreements", "evaluation", "network")
LOAD_TARGET_MS = 1000.0
AGREEMENTS_TARGET_MS = 300.0
EVALUATION_TARGET_RATIO = 5.0  # × the bare floor, at province scale
NETWORK_STORED_TARGET_MS = 150.0  # the province's stored network, served
USERS = {"admin": "bench-admin", "coord": "bench-coord"}
WHO = {
    "anonymous": "anonymous",
    "admin": "admin (all RLS)",
    "coord": "coordinator (1 RLS)",
    "api-admin": "admin, token",
    "api-coord": "coordinator, token",
}


@dataclass
class Result:
    page: Page
    status: int = 200
    times_ms: list[float] = field(default_factory=list)
    queries: set[int] = field(default_factory=set)
    size: int = 0

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.times_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[18]

    @property
    def query_label(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


@dataclass
class ScaleRun:
    scale: str
    generation_s: float
    info: dict
    results: list[Result]


class BenchError(RuntimeError):
    pass


# Database and server ---------------------------------------------------------------------------


def bench_env(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MAILLAGE_VAR_DIR=var_dir,
        MAILLAGE_ENV="development",  # generate_synthetic refuses production; demo-grade secrets only here
        MAILLAGE_QUERY_COUNT_HEADER="1",
        DEBUG="0",  # as in production: no query log kept in memory, no debug pages
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare_database(env: dict[str, str], scale: str) -> tuple[float, dict]:
    manage(env, "migrate", "--noinput", "-v0")
    flush = ["--flush"] if "DATABASE_URL" in env else []  # a shared PostgreSQL database may hold a previous run
    started = time.perf_counter()
    output = manage(env, "generate_synthetic", "--scale", scale, "--seed", "1", *flush)
    elapsed = time.perf_counter() - started
    print(output.strip())
    info = subprocess.run(
        [sys.executable, "bench/prepare.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    data = json.loads(info.stdout.strip().splitlines()[-1])
    data["timings"] = part_timings(output)
    return elapsed, data


def part_timings(output: str) -> dict[str, float]:
    """The "Durée par partie" lines of generate_synthetic: label -> seconds."""
    timings, inside = {}, False
    for line in output.splitlines():
        if line.startswith("Durée par partie"):
            inside = True
        elif inside and line.startswith("  ") and line.endswith(" s"):
            label, value = line[: -len(" s")].strip().rsplit(maxsplit=1)
            timings[label.strip()] = float(value.replace(",", "."))
        else:
            inside = False
    return timings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict[str, str], log_path: Path):
    port = free_port()
    command = [str(BIN / "gunicorn"), "maillage.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--chdir", str(ROOT)]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError("gunicorn stopped at start-up; see its log.")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BenchError("gunicorn did not answer /healthz within 60 s.")


# HTTP clients ----------------------------------------------------------------------------------


class Client:
    """urllib with a cookie jar (session, CSRF) or a Bearer token; no redirect is followed silently."""

    def __init__(self, base: str, token: str = "") -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, float, int, int]:
        request = urllib.request.Request(self.base + path, headers=self.headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read()
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            body, status, headers = error.read(), error.code, error.headers
        elapsed = time.perf_counter() - started
        return status, elapsed * 1000, int(headers.get("X-Query-Count", -1)), len(body)

    def login(self, username: str) -> "Client":
        """The real form: GET for the CSRF token and cookie, POST, follow the redirect home."""
        with self.opener.open(self.base + "/accounts/login/", timeout=30) as response:
            html = response.read().decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise BenchError("No CSRF token in the login form.")
        data = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match[1], "next": "/"})
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data.encode(), headers={"Referer": self.base + "/accounts/login/"}
        )
        with self.opener.open(request, timeout=30) as response:
            if "/accounts/login/" in response.url:
                raise BenchError(f"Sign-in of {username} refused (wrong password or locked out).")
        return self


def clients(base: str, info: dict) -> dict[str, Client]:
    return {
        "anonymous": Client(base),
        "admin": Client(base).login(USERS["admin"]),
        "coord": Client(base).login(USERS["coord"]),
        "api-admin": Client(base, info["tokens"]["bench-admin"]),
        "api-coord": Client(base, info["tokens"]["bench-coord"]),
    }


def measure(targets: list[tuple[Page, Client, str]], requests: int, warmup: int) -> list[Result]:
    """Round-robin over the pages, so that a burst of load on the machine hits every page alike."""
    results = [Result(page) for page, _, _ in targets]
    for i in range(warmup + requests):
        for result, (_, client, path) in zip(results, targets, strict=True):
            if result.status != 200:
                continue
            status, ms, queries, size = client.get(path)
            result.status, result.size = status, size
            if i >= warmup and status == 200:
                result.times_ms.append(ms)
                result.queries.add(queries)
    return results


def run_scale(scale: str, requests: int, warmup: int, work: Path, pages: list[Page]) -> ScaleRun:
    var_dir = work / scale
    var_dir.mkdir()
    env = bench_env(str(var_dir))
    print(f"\n== {scale}: database, data, server ==", flush=True)
    generation_s, info = prepare_database(env, scale)
    with server(env, work / f"gunicorn-{scale}.log") as base:
        by_client = clients(base, info)
        targets = [(p, by_client[p.client], p.url(info)) for p in pages]
        results = measure(targets, requests, warmup)
    for result in results:
        print(f"  {result.page.name:<32} {WHO[result.page.client]:<22} {describe(result)}", flush=True)
    return ScaleRun(scale, generation_s, info, results)


def describe(result: Result) -> str:
    if not result.ok:
        return f"HTTP {result.status}"
    return f"median {result.median:6.1f} ms  p95 {result.p95:6.1f} ms  queries {result.query_label}"


# Report ----------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import django

    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    gunicorn = subprocess.run([str(BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False)
    return {
        "date": datetime.now(ZoneInfo("America/Montreal")).strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": f"{len(os.sched_getaffinity(0))} (nproc) — {cpu}",
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        # Other work on the machine shows in the p95 column; the ratios are measured side by side.
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "software": (
            f"Python {platform.python_version()}, Django {django.__version__}, SQLite {sqlite3.sqlite_version}, "
            f"{gunicorn.stdout.strip() or 'gunicorn'} (1 sync worker), {platform.system()} {platform.release()}"
        ),
    }


def floors(run: ScaleRun) -> tuple[float | None, float | None]:
    by_path = {r.page.path: r for r in run.results if r.page.floor and r.ok}
    trivial, bare = by_path.get("/healthz"), by_path.get("/bench/bare/")
    return (trivial.median if trivial else None), (bare.median if bare else None)


def generation_note() -> str:
    if os.environ.get("DATABASE_URL"):
        return "wall clock, with start-up and the flush of the previous run's synthetic data"
    return "wall clock, with start-up"


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def ratio(value: float, floor: float | None) -> str:
    return f"{value / floor:.1f}×" if floor else "—"


def scale_table(run: ScaleRun, groups: tuple[str, ...] = ("registry",)) -> list[str]:
    trivial, bare = floors(run)
    lines = [
        "| page | as | median ms | p95 ms | queries/request | × bare | × trivial | response KB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in run.results:
        if r.page.group not in groups:
            continue
        if not r.ok:
            lines.append(f"| {r.page.name} | {WHO[r.page.client]} | HTTP {r.status} | | | | | |")
            continue
        lines.append(
            f"| {r.page.name} | {WHO[r.page.client]} | {r.median:.1f} | {r.p95:.1f} | {r.query_label} | "
            f"{ratio(r.median, bare)} | {ratio(r.median, trivial)} | {r.size / 1024:.1f} |"
        )
    return lines


def query_growth_table(runs: list[ScaleRun]) -> list[str]:
    head = " | ".join(
        f"queries ({run.scale}: {thousands(run.info['organizations'])} orgs, "
        f"{thousands(run.info['attendance'])} attendance, {thousands(run.info.get('agreements', 0))} agreements)"
        for run in runs
    )
    lines = [f"| page | as | {head} | grows? |", "|---|---|" + "---:|" * len(runs) + "---|"]
    for i, page in enumerate(r.page for r in runs[0].results):
        labels = [run.results[i].query_label if run.results[i].ok else "—" for run in runs]
        # The steady state: with a token, a request now and then writes its last-use time (at most once a
        # minute, api/authentication.py), one query more whatever the data size.
        lows = {min(run.results[i].queries) if run.results[i].ok else None for run in runs}
        grows = "no" if len(lows) == 1 else "**yes**"
        lines.append(f"| {page.name} | {WHO[page.client]} | {' | '.join(labels)} | {grows} |")
    return lines


def verdict(run: ScaleRun) -> str:
    _, bare = floors(run)
    main = [r for r in run.results if r.ok and not r.page.floor and r.page.group == "registry"]
    if not any(not r.page.floor and r.page.group == "registry" for r in run.results):
        return "Floors only: the registry pages were not measured in this run (`--groups`)."
    over = [
        f"{r.page.name} ({WHO[r.page.client]}, {r.median / bare:.1f}×)"
        for r in main
        if bare and r.median / bare > TARGET_RATIO
    ]
    if not over:
        return f"All main pages are within {TARGET_RATIO:.0f}× the bare floor."
    return f"Over the {TARGET_RATIO:.0f}× target: " + "; ".join(over) + "."


def load_verdict(run: ScaleRun) -> str:
    loads = [r for r in run.results if r.page.group == "load"]
    failed = [f"{r.page.name} ({WHO[r.page.client]}): HTTP {r.status}" for r in loads if not r.ok]
    slow = [
        f"{r.page.name} ({WHO[r.page.client]}, {r.median:.0f} ms)" for r in loads if r.ok and r.median >= LOAD_TARGET_MS
    ]
    if failed or slow:
        return "Concertation-load report **over the 1 s target** or failing: " + "; ".join(failed + slow) + "."
    worst = max((r.median for r in loads), default=0)
    return f"Concertation-load report within the 1 s target (slowest median {worst:.0f} ms)."


def agreements_verdict(run: ScaleRun) -> str:
    pages = [r for r in run.results if r.page.group == "agreements"]
    failed = [f"{r.page.name} ({WHO[r.page.client]}): HTTP {r.status}" for r in pages if not r.ok]
    slow = [
        f"{r.page.name} ({WHO[r.page.client]}, {r.median:.0f} ms)"
        for r in pages
        if r.ok and r.median > AGREEMENTS_TARGET_MS
    ]
    if failed or slow:
        return "Agreement pages **over 300 ms median** or failing: " + "; ".join(failed + slow) + "."
    worst = max((r.median for r in pages), default=0)
    return f"Agreement pages within 300 ms median (slowest {worst:.0f} ms)."


def evaluation_verdict(run: ScaleRun) -> str:
    _, bare = floors(run)
    pages = [r for r in run.results if r.page.group == "evaluation"]
    failed = [f"{r.page.name} ({WHO[r.page.client]}): HTTP {r.status}" for r in pages if not r.ok]
    over = [
        f"{r.page.name} ({WHO[r.page.client]}, {r.median / bare:.1f}×)"
        for r in pages
        if r.ok and bare and r.median / bare > EVALUATION_TARGET_RATIO
    ]
    if failed or over:
        return (
            f"Evaluation pages **over {EVALUATION_TARGET_RATIO:.0f}× the bare floor** or failing: "
            + "; ".join(failed + over)
            + "."
        )
    worst = max((r.median / bare for r in pages if bare), default=0)
    return f"Evaluation pages within {EVALUATION_TARGET_RATIO:.0f}× the bare floor (highest {worst:.1f}×)."


def network_verdict(run: ScaleRun) -> str:
    pages = [r for r in run.results if r.page.group == "network"]
    failed = [f"{r.page.name} ({WHO[r.page.client]}): HTTP {r.status}" for r in pages if not r.ok]
    stored = [r for r in pages if r.ok and r.page.scope == "province"]
    slow = [f"{r.page.name} ({r.median:.0f} ms)" for r in stored if r.median > NETWORK_STORED_TARGET_MS]
    if failed or slow:
        return "Network pages failing or the stored province **over 150 ms**: " + "; ".join(failed + slow) + "."
    served = max((r.median for r in stored), default=0)
    return f"The province's stored network served in {served:.0f} ms median (target ≤ 150 ms)."


def network_line(info: dict) -> str:
    return (
        f"Networks, co-membership {info['network_year']}: the coordinator's RLS {info['rls_id']} "
        f"({info['rls_network_nodes']} organisations, {thousands(info['rls_network_edges'])} ties, every metric "
        f"computed on request in {info['rls_network_ms']:.0f} ms, then kept until a write); the province "
        f"({thousands(info['province_network_nodes'])} organisations, {thousands(info['province_network_edges'])} "
        f"ties), computed by the background task in {info['province_network_seconds']:.1f} s."
    )


def evaluation_line(info: dict) -> str:
    return (
        f"Evaluation: {thousands(info['campaigns'])} campaigns, {thousands(info['invitations'])} invitations, "
        f"{thousands(info['responses'])} responses, {thousands(info['answers'])} answers; "
        f"{info['rls_campaigns']} campaigns in the coordinator's RLS. Diagnosis: instance "
        f"{info['diagnosis_instance_id']} (its assembly) and RLS {info['rls_id']}. Results page: campaign "
        f"{info['campaign_id']} ({info['campaign_year']}: {info['campaign_invited']} invited, "
        f"{info['campaign_respondents']} respondents, {thousands(info['campaign_answers'])} answers)."
    )


def agreements_line(info: dict) -> str:
    return (
        f"Agreements: {thousands(info['agreements'])} agreements ({thousands(info['in_force'])} in force, "
        f"{thousands(info['in_force_service'])} of them service agreements), "
        f"{thousands(info['agreement_parties_total'])} parties, {thousands(info['agreement_versions_total'])} "
        f"versions, {thousands(info['agreement_reports_total'])} reports. Coordinator's RLS: "
        f"{thousands(info['rls_agreements'])} agreements, {info['rls_in_force_service']} service agreements in "
        f"force. Agreement page: agreement {info['agreement_id']} ({info['agreement_parties']} parties, "
        f"{info['agreement_sections']} sections, {info['agreement_versions']} versions, "
        f"{info['agreement_reports']} reports, {info['agreement_changes']} changes of state)."
    )


def generation_parts(run: ScaleRun) -> str:
    parts = run.info.get("timings", {})
    return "; ".join(f"{label} {seconds:.1f} s" for label, seconds in parts.items())


def concertation_line(info: dict) -> str:
    return (
        f"Concertation: {thousands(info['instances'])} instances, {thousands(info['memberships'])} memberships, "
        f"{thousands(info['meetings'])} meetings, {thousands(info['attendance'])} attendance records. "
        f"Instance page: instance {info['instance_id']} ({info['instance_seats']} memberships, "
        f"{info['instance_meetings']} meetings); meeting page: meeting {info['meeting_id']} "
        f"({info['meeting_attendance']} attendance records, {info['meeting_items']} agenda items). "
        f"Load report: year {info['year']}, the province ({thousands(info['province_year_attendance'])} "
        f"attendance records that year) as admin, RLS {info['rls_id']} "
        f"({thousands(info['rls_year_attendance'])}) as its coordinator."
    )


def report(runs: list[ScaleRun], requests: int, warmup: int, database: str) -> str:
    m = machine()
    lines = [
        f"Run of {m['date']} — `make bench` ({requests} measured requests per row after {warmup} warm-up requests).",
        "",
        f"- Machine: {m['cpus']}; memory {m['memory']}; load average at the end of the run {m['load']} (1/5/15 min).",
        f"- Software: {m['software']}.",
        f"- Database: {database}.",
    ]
    for run in runs:
        info = run.info
        shown = {r.page.group for r in run.results}
        lines += [
            "",
            f"### Scale `{run.scale}` — {thousands(info['organizations'])} organisations",
            "",
            f"`generate_synthetic --scale {run.scale} --seed 1`: {run.generation_s:.1f} s ({generation_note()}). "
            f"By part: {generation_parts(run)}.",
            "",
            f"Detail page: organisation {info['detail_id']} ({info['detail_people']} affiliations, "
            f"{info['detail_lines']} funding lines).",
            "",
            *scale_table(run, ("registry",)),
            "",
            verdict(run),
        ]
        if shown & {"concertation", "load"}:
            lines += [
                "", f"#### Concertation — scale `{run.scale}`", "", concertation_line(info), "",
                *scale_table(run, ("concertation", "load")), "", load_verdict(run),
            ]  # fmt: skip
        if "agreements" in shown:
            lines += [
                "", f"#### Agreements — scale `{run.scale}`", "", agreements_line(info), "",
                *scale_table(run, ("agreements",)), "", agreements_verdict(run),
            ]  # fmt: skip
        if "evaluation" in shown:
            lines += [
                "", f"#### Evaluation — scale `{run.scale}`", "", evaluation_line(info), "",
                *scale_table(run, ("evaluation",)), "", evaluation_verdict(run),
            ]  # fmt: skip
        if "network" in shown:
            lines += [
                "", f"#### Networks — scale `{run.scale}`", "", network_line(info), "",
                *scale_table(run, ("network",)), "", network_verdict(run),
            ]  # fmt: skip
    if len(runs) > 1:
        lines += ["", "### Queries per request against data size", "", *query_growth_table(runs)]
    return "\n".join(lines)


def write_doc(path: Path, body: str, vendor: str) -> None:
    """Replace the block of this database (SQLite or PostgreSQL) and keep everything else, notes included."""
    start, end = f"<!-- bench:{vendor}:start -->", f"<!-- bench:{vendor}:end -->"
    block = f"{start}\n{body}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def database_label(runs: list[ScaleRun]) -> str:
    version = runs[0].info["database"]
    if os.environ.get("DATABASE_URL"):
        return f"{version} from DATABASE_URL (synthetic data replaced before each scale), persistent connections"
    return f"{version} (WAL) in a fresh temporary directory per scale, one connection per request"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page (≥ 50)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--scales", default="small,province")
    parser.add_argument(
        "--output", default=None, help="'' to skip writing (default: docs/benchmarks.md, unless --groups is given)"
    )
    parser.add_argument(
        "--groups", default=",".join(GROUPS), help=f"pages to measure, among {', '.join(GROUPS)} (floors always)"
    )
    args = parser.parse_args()
    groups = set(args.groups.split(","))
    if groups - set(GROUPS):
        parser.error(f"unknown group(s): {', '.join(sorted(groups - set(GROUPS)))}")
    if args.output is None:  # a partial run does not replace the full tables of the docs unless asked to
        args.output = str(ROOT / "docs" / "benchmarks.md") if groups == set(GROUPS) else ""
    pages = [p for p in PAGES if p.floor or p.group in groups]
    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as work:
        try:
            runs = [run_scale(s, args.requests, args.warmup, Path(work), pages) for s in args.scales.split(",")]
        except BenchError as error:
            print(f"bench: {error}", file=sys.stderr)
            for log in Path(work).glob("gunicorn-*.log"):
                print(f"--- {log.name}\n{log.read_text()[-3000:]}", file=sys.stderr)
            return 1
    body = report(runs, args.requests, args.warmup, database_label(runs))
    print("\n" + body)
    if args.output:
        write_doc(Path(args.output), body, "postgresql" if os.environ.get("DATABASE_URL") else "sqlite")
        print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
