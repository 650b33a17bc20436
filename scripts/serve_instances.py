"""Start the dashboard as several Streamlit processes on loopback ports, for nginx to put behind one address.

One Streamlit process runs every browser tab's script in threads of one Python interpreter, so a busy
server scales out by processes, each holding its own tabs' sessions (hence nginx's sticky sessions in
deploy/nginx-dashboard.conf). Every instance reads the same settings (DASHBOARD_DB_URL: one PostgreSQL for
all of them), the same .streamlit/ folder and the same cookie secret, so a cookie one signed is good on
the others. The schema is brought up to date once before any instance starts, so they never race to
migrate. Runs in the foreground until stopped (Ctrl-C, or SIGTERM from a service manager); if an instance
stops, the rest are stopped too and the exit status is 1, so the service manager starts them all again.

Usage: python scripts/serve_instances.py [--instances 2] [--first-port 8501] [--logs DIR] [--print-nginx]

The functions here also start instances and a private nginx for tests/test_instances.py and
benchmarks/load.py.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NGINX_TEMPLATE = ROOT / "deploy" / "nginx-dashboard.conf"
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 90
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
NGINX_PATHS = ("/usr/sbin/nginx", "/usr/bin/nginx")
# Written by a private nginx (tests, the load benchmark): which instance served each request, for which browser.
# Tab-separated: nginx escapes a tab inside a value, and $upstream_addr may list two ("a, b") after a retry.
NGINX_LOG_FIELDS = ("$upstream_addr", "$cookie_dashboard_instance", "$request_method", "$uri", "$status")
NGINX_LOG_FORMAT = "\t".join(NGINX_LOG_FIELDS)


@dataclass(frozen=True)
class Logged:
    """One request in a private nginx's access log."""

    upstream: str  # the instance that answered (127.0.0.1:PORT), or what nginx tried in turn
    cookie: str  # the browser's dashboard_instance cookie, "-" before it had one
    method: str
    path: str
    status: str


def access_log(path: Path) -> list[Logged]:
    return [Logged(*line.split("\t")) for line in path.read_text().splitlines() if line]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def streamlit_command(port: int, options: Sequence[str] = ()) -> list[str]:
    """One instance: loopback only (nginx is the way in), no file watcher, no browser, no usage statistics;
    ``options`` adds Streamlit settings (``--secrets.files PATH`` for a test)."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
            "--server.address", LOOPBACK, "--server.port", str(port), "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false", *options]


def wait_until_answering(url: str, process: subprocess.Popen, what: str, timeout_s: float = START_TIMEOUT_S,
                         expect: str | None = None) -> None:
    """Until ``url`` answers (with ``expect`` as its body, when given); RuntimeError if the process stops first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped with exit status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if expect is None or response.read().decode().strip() == expect:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{what} did not answer on {url} within {timeout_s:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare_database(url: str) -> None:
    """Bring the schema up to date once, before several instances would each try at the same moment."""
    from db.engine import connect

    connect(url).dispose()


@dataclass(frozen=True)
class Instance:
    base: str  # http://127.0.0.1:PORT
    process: subprocess.Popen


@contextmanager
def streamlit_instances(ports: Sequence[int], env: Mapping[str, str], log_folder: Path,
                        options: Sequence[str] = ()) -> Iterator[list[Instance]]:
    """One Streamlit process per port, all with ``env`` and one shared cookie secret; yields them once every
    one answers its health check, and stops them all afterwards."""
    shared = dict(env)
    shared.setdefault(COOKIE_SECRET_ENV, secrets.token_hex(32))
    with ExitStack() as stack:
        started = []
        for port in ports:
            log = stack.enter_context((log_folder / f"streamlit_{port}.log").open("w"))
            process = subprocess.Popen(streamlit_command(port, options), cwd=ROOT, env=shared, stdout=log,
                                       stderr=subprocess.STDOUT)
            stack.callback(_stop, process)
            started.append(Instance(f"http://{LOOPBACK}:{port}", process))
        for instance in started:
            wait_until_answering(f"{instance.base}/_stcore/health", instance.process,
                                 f"the instance on {instance.base}", expect="ok")
        yield started


# ---- nginx -------------------------------------------------------------------------------------------------

def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((path for path in NGINX_PATHS if os.access(path, os.X_OK)), None)


def nginx_unavailable_reason() -> str | None:
    """Why a private nginx cannot be started here, or None."""
    if nginx_binary() is None:
        return "nginx is not installed (apt-get install nginx-light; test.sh installs it when run as root)"
    return None


def nginx_site(ports: Sequence[int], listen: str, template: str | None = None) -> str:
    """deploy/nginx-dashboard.conf with one upstream line per port and plain HTTP on ``listen`` (a loopback
    test has no certificate: the `ssl_` lines go), everything else exactly as shipped."""
    text = template if template is not None else NGINX_TEMPLATE.read_text()
    servers = "".join(f"    server {LOOPBACK}:{port};\n" for port in ports)
    upstream = re.compile(r"^    server 127\.0\.0\.1:\d+;\n", re.MULTILINE)
    first = upstream.search(text)
    if first is None:
        raise ValueError("the nginx template has no `server 127.0.0.1:PORT;` line in its upstream block")
    text = text[:first.start()] + servers + upstream.sub("", text[first.start():])
    text = re.sub(r"^    listen 443 ssl;$", f"    listen {listen};", text, flags=re.MULTILINE)
    return re.sub(r"^    ssl_\w+ .*\n", "", text, flags=re.MULTILINE)


def nginx_main_config(site: Path, folder: Path) -> str:
    """A whole nginx.conf around the site, every file under ``folder``, so it runs beside any system nginx."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                           "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n    log_format dashboard '{NGINX_LOG_FORMAT}';\n"
            f"    access_log {folder / 'access.log'} dashboard;\n{temp}\n    include {site};\n}}\n")


@contextmanager
def private_nginx(ports: Sequence[int], folder: Path, port: int | None = None) -> Iterator[str]:
    """nginx from Debian's package, running the shipped site config in front of ``ports`` on loopback (``port``,
    else a free one), until the block ends; yields its base URL. Its access log is ``folder / 'access.log'``."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError(nginx_unavailable_reason())
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    site = folder / "dashboard.conf"
    site.write_text(nginx_site(ports, f"{LOOPBACK}:{port}"))
    main = folder / "nginx.conf"
    main.write_text(nginx_main_config(site, folder))
    checked = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused the configuration: {checked.stderr.strip()}")
    with (folder / "nginx.out").open("w") as out:
        process = subprocess.Popen([binary, "-p", str(folder), "-c", str(main)], stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://{LOOPBACK}:{port}"
            wait_until_answering(f"{base}/_stcore/health", process, "nginx", expect="ok")
            yield base
        finally:
            _stop(process)


# ---- the command ---------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=2, help="how many Streamlit processes (default 2)")
    parser.add_argument("--first-port", type=int, default=8501, help="the first loopback port (default 8501)")
    parser.add_argument("--logs", type=Path, help="folder for each instance's log (default: a new temporary folder)")
    parser.add_argument("--print-nginx", action="store_true",
                        help="print deploy/nginx-dashboard.conf's upstream block for these ports, then exit")
    args = parser.parse_args(argv)
    if args.instances < 1:
        parser.error("--instances must be 1 or more")
    ports = list(range(args.first_port, args.first_port + args.instances))
    if args.print_nginx:
        print("upstream dashboard {\n    hash $dashboard_instance_key consistent;")
        print("".join(f"    server {LOOPBACK}:{port};\n" for port in ports) + "}")
        return 0
    import settings

    try:
        prepare_database(settings.DB_URL.value())
    except Exception as error:  # noqa: BLE001 - a sentence, not a traceback
        print(f"The database cannot be opened or brought up to date: {error}", file=sys.stderr)
        return 2
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    log_folder = args.logs or Path(tempfile.mkdtemp(prefix="dashboard-instances-"))
    log_folder.mkdir(parents=True, exist_ok=True)
    try:
        with streamlit_instances(ports, os.environ, log_folder) as instances:
            print(f"{len(instances)} instances answering: {', '.join(i.base for i in instances)} "
                  f"(logs in {log_folder})", flush=True)
            while not stopping:
                time.sleep(1)
                if any(instance.process.poll() is not None for instance in instances):
                    print(f"An instance stopped (see {log_folder}); stopping the others.", file=sys.stderr)
                    return 1
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as error:
        print(f"{error}; see the logs in {log_folder}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
