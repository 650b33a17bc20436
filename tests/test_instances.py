"""Two Streamlit instances behind nginx, as the README's shared-server section sets them up: the real nginx from
Debian's package running deploy/nginx-dashboard.conf, two real `streamlit run` processes on loopback ports
started by scripts/serve_instances.py, and headless Chromium as a member's browser.

Which instance served each request is read from nginx's own access log (the upstream address beside the
browser's instance cookie), so the tests see what the proxy really did.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db.engine import connect
from scripts.serve_instances import (
    NGINX_TEMPLATE,
    access_log,
    free_port,
    nginx_binary,
    nginx_main_config,
    nginx_unavailable_reason,
    private_nginx,
    streamlit_instances,
)
from tests import app_database
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, PERSON, oidc_provider

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
PAGE_TIMEOUT_MS = 90_000
MAX_BROWSERS = 16  # fresh browsers opened until both instances have served one: 1 in 32,768 to see only one
COOKIE = "dashboard_instance"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(nginx_unavailable_reason() is not None, reason=nginx_unavailable_reason() or ""),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (test.sh installs it)"),
]


class Proxy:
    """nginx's address, the two instances' upstream addresses and nginx's access log."""

    def __init__(self, base: str, upstreams: list[str], log: Path) -> None:
        self.base, self.upstreams, self.log = base, upstreams, log

    def served(self) -> dict[str, list[tuple[str, str, str]]]:
        """For each browser's instance cookie, every request nginx passed on: (upstream, path, status)."""
        by_cookie: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for request in access_log(self.log):
            if request.cookie != "-":
                by_cookie[request.cookie].append((request.upstream, request.path, request.status))
        return by_cookie

    def websocket_upstream(self, cookie: str, timeout_s: float = 20) -> list[str]:
        """The upstreams of a closed browser's websockets (nginx logs a websocket when it closes)."""
        deadline = time.monotonic() + timeout_s
        while True:
            streams = [u for u, path, status in self.served().get(cookie, []) if path == "/_stcore/stream"
                       and status == "101"]
            if streams or time.monotonic() > deadline:
                return streams
            time.sleep(0.2)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("instances")
    url = f"sqlite:///{folder / 'dashboard.db'}"
    app_database.build(connect(url), url)
    return url, folder


@contextmanager
def behind_nginx(url: str, folder: Path, options: tuple[str, ...] = (), nginx_port: int | None = None,
                 ) -> Iterator[Proxy]:
    env = {**os.environ, "DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0",
           "DASHBOARD_LOAD_PUBLISHED": "0", "DASHBOARD_HOME_AREA": app_database.HOME}
    ports = [free_port(), free_port()]
    with streamlit_instances(ports, env, folder, options) as _instances, \
            private_nginx(ports, folder / "nginx", nginx_port) as base:
        yield Proxy(base, [f"127.0.0.1:{port}" for port in ports], folder / "nginx" / "access.log")


@pytest.fixture(scope="module")
def proxy(database) -> Iterator[Proxy]:
    with behind_nginx(*database) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_run(page) -> None:
    """Until the script run a click started has finished and no element from before it is left on the page."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=PAGE_TIMEOUT_MS)


def assert_no_error_shown(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def instance_cookie(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def test_a_page_loads_through_the_proxy_with_its_charts(proxy, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    response = page.goto(proxy.base + "/children_in_care", wait_until="domcontentloaded")
    assert response is not None and response.ok
    page.get_by_text("Starting and leaving care").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_for_run(page)
    assert_no_error_shown(page)
    assert page.locator('[data-testid="stApp"]').get_attribute("data-test-connection-state") == "CONNECTED"
    assert len(instance_cookie(context)) == 32  # nginx's $request_id: the key every later request is hashed on
    context.close()


def test_one_websocket_on_one_instance_carries_every_rerun_of_a_session(proxy, browser):
    """A selector changed twice and two menu links: four reruns, all over the websocket opened first, and every
    request the browser made (page, static files, websocket) answered by the same instance."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket))
    page.goto(proxy.base + "/placement_stability", wait_until="domcontentloaded")
    page.get_by_text("3 or more moves in a year").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_for_run(page)
    toggle = page.get_by_role("switch", name="Show comparators")
    for expected in (False, True):
        page.get_by_text("Show comparators").click()
        wait_for_run(page)
        assert toggle.is_checked() is expected
    for title, text in (("Care leavers", "Care leavers 19-21 suitably housed"), ("Health", "Emotional wellbeing")):
        page.locator('[data-testid="stSidebarNavLink"]', has_text=title).click()
        page.get_by_text(text).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        wait_for_run(page)
    assert_no_error_shown(page)
    assert len(sockets) == 1 and not sockets[0].is_closed(), "the session's websocket was opened again"
    cookie = instance_cookie(context)
    context.close()
    assert len(proxy.websocket_upstream(cookie)) == 1
    upstreams = {upstream for upstream, _path, _status in proxy.served()[cookie]}
    assert len(upstreams) == 1 and upstreams <= set(proxy.upstreams), upstreams


def test_both_instances_serve_sessions(proxy, browser):
    """Fresh browsers (new cookies) are spread over the instances; each one's page is drawn by its instance."""
    seen: dict[str, str] = {}
    for _ in range(MAX_BROWSERS):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(proxy.base + "/overview", wait_until="domcontentloaded")
        page.get_by_text("What needs attention", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        wait_for_run(page)
        assert_no_error_shown(page)
        cookie = instance_cookie(context)
        context.close()
        streams = proxy.websocket_upstream(cookie)
        assert len(streams) == 1
        seen[cookie] = streams[0]
        if set(seen.values()) == set(proxy.upstreams):
            break
    assert set(seen.values()) == set(proxy.upstreams), f"{len(seen)} browsers, all on {set(seen.values())}"


def _get(url: str, compressed: bool) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if compressed else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), {name.lower(): value for name, value in response.headers.items()}


def test_the_proxy_sends_the_apps_scripts_compressed_and_unchanged(proxy):
    """The page's own scripts (several megabytes, which Streamlit sends uncompressed) reach a browser that
    accepts gzip compressed by nginx, and unpack to exactly what the instance itself serves."""
    page, _ = _get(proxy.base + "/overview", compressed=False)
    scripts = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', page.decode())
    assert scripts, "the page names no script"
    for script in scripts:
        direct, _ = _get(f"http://{proxy.upstreams[0]}/{script}", compressed=False)
        packed, headers = _get(f"{proxy.base}/{script}", compressed=True)
        assert headers.get("content-encoding") == "gzip", headers
        assert "accept-encoding" in headers.get("vary", "").lower()
        assert gzip.decompress(packed) == direct
        assert len(packed) < len(direct) / 2, (script, len(packed), len(direct))
    plain, headers = _get(f"{proxy.base}/{scripts[0]}", compressed=False)  # a client that cannot unpack gzip
    assert "content-encoding" not in headers and plain == _get(f"http://{proxy.upstreams[0]}/{scripts[0]}",
                                                                  compressed=False)[0]


def test_sign_in_through_the_proxy_finishes_on_the_instance_where_it_started(database, browser, tmp_path):
    """st.login with [auth] redirect_uri at nginx's address: the provider sends the browser back through nginx,
    /auth/login, /oauth2callback and the websocket all reach one instance, and the person is signed in."""
    url, _ = database
    nginx_port = free_port()
    with oidc_provider() as provider:
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            f'[auth]\nredirect_uri = "http://127.0.0.1:{nginx_port}/oauth2callback"\n'
            f'cookie_secret = "{"c" * 64}"\n\n[auth.council]\nclient_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\nserver_metadata_url = "{provider.metadata_url}"\n')
        with behind_nginx(url, tmp_path, ("--secrets.files", str(secrets_file)), nginx_port) as proxy:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto(proxy.base + "/overview", wait_until="domcontentloaded")
            page.get_by_role("button", name="Sign in with Council").click(timeout=PAGE_TIMEOUT_MS)
            page.get_by_text("What needs attention", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
            wait_for_run(page)
            assert f"Signed in as {PERSON['name']}" in page.locator('[data-testid="stSidebar"]').inner_text()
            assert_no_error_shown(page)
            assert provider.redirects == [f"{proxy.base}/oauth2callback"]
            cookie = instance_cookie(context)
            context.close()
            assert len(proxy.websocket_upstream(cookie)) >= 1
            requests = proxy.served()[cookie]
            paths = {path for _upstream, path, _status in requests}
            assert {"/auth/login", "/oauth2callback", "/_stcore/stream"} <= paths, paths
            assert len({upstream for upstream, _path, _status in requests}) == 1


def test_the_shipped_config_with_its_certificate_lines_is_what_nginx_accepts(tmp_path):
    """The file a region's IT copies to /etc/nginx/conf.d/ as it is, with only its certificate paths changed to
    a throwaway certificate's: nginx -t accepts it (the other tests run it without the TLS lines)."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=dashboard.example.gov.uk", "-keyout", str(tmp_path / "key.pem"), "-out",
                    str(tmp_path / "cert.pem")], check=True, capture_output=True)
    shipped = NGINX_TEMPLATE.read_text()
    site = tmp_path / "dashboard.conf"
    site.write_text(shipped.replace("/etc/ssl/certs/dashboard.pem", str(tmp_path / "cert.pem"))
                    .replace("/etc/ssl/private/dashboard.key", str(tmp_path / "key.pem")))
    assert site.read_text() != shipped
    main = tmp_path / "nginx.conf"
    main.write_text(nginx_main_config(site, tmp_path))
    checked = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
