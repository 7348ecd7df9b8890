"""`make fuzz`: schemathesis against a live server, from the API's own schema, as an administrator and as a
representative.

Each identity gets a fresh copy of a throwaway SQLite database loaded with the demo network, so writes
(POST/PATCH/PUT/DELETE) are fuzzed too and one identity's deletions do not starve the other's run. The checks, the
seed and the number of examples per operation are in fuzz/schemathesis.toml. Exit status: non-zero when any run
finds a server error, an answer outside the schema or an undocumented status code or content type.

    .venv/bin/python fuzz/run.py                          # both identities
    .venv/bin/python fuzz/run.py --only admin --include-path-regex meetings   # extra arguments go to `st run`

Reports (JUnit, NDJSON) and the server logs (with the tracebacks of server errors) are left in var/fuzz/.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "fuzz" / "schemathesis.toml"
OUTPUT = REPO / "var" / "fuzz"
BIN = Path(sys.executable).parent
# Demo accounts (README): the platform administrator, and the popote roulante's representative.
IDENTITIES = {"admin": "admin", "representative": "popote"}
# A safety net above the budget set by max-examples (about 60 to 80 s per identity on two shared cores).
TIME_LIMIT = 150


def server_env(database: Path, var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAILLAGE_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MAILLAGE_VAR_DIR=str(var_dir),
        MAILLAGE_ENV="development",
        DEBUG="0",  # answers as in production (no debug pages); tracebacks go to the server log
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # convocations and reminders go nowhere
    )
    return env


# One Django start-up instead of four: migrate, load the demo, issue one token per identity, print the tokens.
PREPARE = """
import io, json
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", stdout=io.StringIO())
tokens = {}
for name, username in %r.items():
    key = io.StringIO()
    call_command("create_api_token", username, stdout=key)
    tokens[name] = key.getvalue().split()[-1]
print(json.dumps(tokens))
"""


def prepare(workdir: Path) -> dict[str, str]:
    """The demo database (workdir/demo.sqlite3) and the tokens, made once; each run gets a copy of the database."""
    command = [sys.executable, str(REPO / "manage.py"), "shell", "-c", PREPARE % IDENTITIES]
    env = server_env(workdir / "demo.sqlite3", workdir / "var")
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        sys.exit(f"Preparing the demo database failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def copy_database(source: Path, target: Path) -> None:
    # The backup API copies a consistent database whatever is left in the write-ahead log.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "maillage.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--graceful-timeout", "5"]
    # Gunicorn's own limit on the request line (4 KB) answers in HTML before Django sees the request: a limit of
    # the HTTP server in front (set again by the reverse proxy in production), not part of the API's contract.
    command += ["--limit-request-line", "0"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_for(server, f"http://127.0.0.1:{port}/api/v1/openapi.json", log)
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_for(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped at start-up; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=20):  # noqa: S310 (our own server on 127.0.0.1)
                return
        except OSError:  # not listening yet, or still starting its workers
            time.sleep(0.3)
    sys.exit(f"The server did not answer {url} within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def copy_demo(workdir: Path, run_dir: Path) -> dict[str, str]:
    """A fresh copy of the demo (database and uploaded files) for one run; the environment of its server."""
    run_dir.mkdir()
    copy_database(workdir / "demo.sqlite3", run_dir / "db.sqlite3")
    media = workdir / "var" / "media"  # the agreements' attachments
    if media.exists():
        shutil.copytree(media, run_dir / "var" / "media")
    return server_env(run_dir / "db.sqlite3", run_dir / "var")


def fuzz(identity: str, token: str, workdir: Path, extra: list[str], time_limit: int) -> bool:
    env = copy_demo(workdir, workdir / identity)
    port = free_port()
    log = OUTPUT / f"server-{identity}.log"
    print(f"\n== schemathesis as {IDENTITIES[identity]} ({identity}) on 127.0.0.1:{port} ==", flush=True)
    server = start_server(env, port, log)
    command = [str(BIN / "st"), "--config-file", str(CONFIG), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json"]
    command += ["--report", "junit,ndjson", "--report-dir", str(OUTPUT / identity), *extra]
    started = time.monotonic()
    try:
        # From the temporary directory: the tool's own files (.hypothesis, .schemathesis) stay out of the repository.
        st_env = {**os.environ, "MAILLAGE_FUZZ_TOKEN": token}
        st = subprocess.run(command, cwd=workdir / identity, env=st_env, timeout=time_limit)  # noqa: S603
        passed = st.returncode == 0
    except subprocess.TimeoutExpired:
        print(f"schemathesis went over its {time_limit} s limit: lower max-examples in {CONFIG}.")
        passed = False
    finally:
        stop_server(server)
    errors = log.read_text(errors="replace").count("Internal Server Error:")
    print(f"== {identity}: {'passed' if passed else 'FAILED'} in {time.monotonic() - started:.0f} s", end="")
    print(f"; {errors} server errors, tracebacks in {log}" if errors else "", flush=True)
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=IDENTITIES, help="fuzz as this identity only")
    parser.add_argument("--time-limit", type=int, default=TIME_LIMIT, help="seconds allowed per identity")
    options, extra = parser.parse_known_args()
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="maillage-fuzz-") as tmp:
        workdir = Path(tmp)
        tokens = prepare(workdir)
        identities = [options.only] if options.only else list(IDENTITIES)
        results = [fuzz(name, tokens[name], workdir, extra, options.time_limit) for name in identities]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
