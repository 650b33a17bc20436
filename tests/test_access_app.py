"""The real app under each way of deciding who may change what, through Streamlit's AppTest.

The sidebar says who is using the dashboard and whether they are an editor or a viewer; with sign-in
configured, someone not signed in sees the sign-in page and no figure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit import config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from db.engine import connect
from metrics.safe_text import markdown_text
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import APP, HOME, TIMEOUT, texts

AUTH = {"redirect_uri": "http://localhost:8614/oauth2callback", "cookie_secret": "placeholder-for-tests",
        "microsoft": {"client_id": "placeholder", "client_secret": "placeholder",
                      "server_metadata_url": "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration"}}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[str]:
    url = new_database(tmp_path_factory.mktemp('access') / 'dashboard.db')
    app_database.build(connect(url), url)
    yield url


@pytest.fixture
def app_env(built, monkeypatch) -> str:
    for key, value in {"DASHBOARD_DB_URL": built, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    return built


def run_app(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return at.run()


def verified(email: str, name: str) -> dict[str, object]:
    """What ``st.user`` holds for someone whose provider verified their e-mail address."""
    return {"is_logged_in": True, "email": email, "email_verified": True, "name": name}


def shows_figures(at: AppTest) -> bool:
    """The overview's figures: what needs attention and the scorecard tables."""
    return "What needs attention" in texts(at) and bool(at.dataframe)


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(caption.value) for caption in at.sidebar.caption)


def test_local_mode_the_person_running_it_is_an_editor(app_env):
    at = run_app()
    assert not at.exception
    assert "Signed in as jsmith (editor)" in sidebar_text(at)
    assert not [b for b in at.sidebar.button if b.label == "Sign out"]  # nothing to sign out of
    assert shows_figures(at)


def test_an_editors_list_without_the_login_makes_a_viewer(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITORS", "asmith, bjones")
    at = run_app()
    assert not at.exception
    assert "Signed in as jsmith (viewer)" in sidebar_text(at)
    assert shows_figures(at)  # viewing is for everyone


def test_an_editors_list_with_the_login_makes_an_editor(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITORS", "asmith,JSmith")
    assert "Signed in as jsmith (editor)" in sidebar_text(run_app())


def test_with_sign_in_configured_someone_not_signed_in_sees_only_the_sign_in_page(app_env):
    at = run_app(secrets={"auth": AUTH})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with Microsoft"]
    assert "Sign in with your council account" in texts(at)
    assert not shows_figures(at)
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric
    assert "jsmith" not in texts(at)  # the server's own login is nobody's identity


def test_signed_in_people_on_the_list_are_editors_and_others_viewers(app_env):
    secrets = {"auth": AUTH, "dashboard": {"editors": ["Jo.Smith@council.gov.uk"]}}
    editor = run_app(secrets, verified("jo.smith@council.gov.uk", "Jo Smith"))
    assert not editor.exception
    assert f"Signed in as {markdown_text('Jo Smith (jo.smith@council.gov.uk)')} (editor)" in sidebar_text(editor)
    assert shows_figures(editor)
    viewer = run_app(secrets, verified("sam.lee@council.gov.uk", "Sam Lee"))
    assert f"Signed in as {markdown_text('Sam Lee (sam.lee@council.gov.uk)')} (viewer)" in sidebar_text(viewer)


def test_signing_out_returns_to_the_sign_in_page(app_env):
    at = run_app({"auth": AUTH}, verified("sam.lee@council.gov.uk", "Sam Lee"))
    [sign_out] = [b for b in at.sidebar.button if b.label == "Sign out"]
    sign_out.click().run()
    at.run()
    assert [b.label for b in at.button] == ["Sign in with Microsoft"]
    assert not shows_figures(at)


def test_a_secrets_file_that_cannot_be_read_stops_the_app_instead_of_opening_it(app_env, tmp_path):
    """Falling back to local mode would make everyone who reaches a server the server's own account."""
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nredirect_uri = "http://localhost:8614/oauth2callback\n', encoding="utf-8")
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    secrets_singleton._reset()
    try:
        at = run_app()
    finally:
        config.set_option("secrets.files", saved)
        secrets_singleton._reset()
    assert not at.exception
    assert [e.value for e in at.error] == [f"The sign-in settings in {broken} cannot be read (is it valid TOML?). "
                                           "Ask the dashboard's administrator to check .streamlit/secrets.toml "
                                           "(see the README's 'Who may change what')."]
    assert not shows_figures(at)


@pytest.mark.parametrize(("auth", "missing"), [
    ({}, "[auth] has no redirect_uri or cookie_secret; no sign-in provider is set up (neither client_id, "
         "client_secret or server_metadata_url in [auth] nor a provider section such as [auth.microsoft])"),
    ({**AUTH, "microsoft": {"client_id": "placeholder"}},
     "[auth.microsoft] has no client_secret or server_metadata_url"),
])
def test_incomplete_sign_in_settings_stop_the_app_naming_what_is_missing(app_env, auth, missing):
    """An empty [auth] section used to open the app to everyone as an editor ('Signed in as jsmith (editor)')."""
    at = run_app(secrets={"auth": auth})
    assert not at.exception
    assert [e.value for e in at.error] == [f"The sign-in settings in .streamlit/secrets.toml are incomplete: "
                                           f"{missing}. Ask the dashboard's administrator to check "
                                           ".streamlit/secrets.toml (see the README's 'Who may change what')."]
    assert not shows_figures(at)
    assert "editor" not in sidebar_text(at) and "jsmith" not in texts(at)


def test_someone_signed_in_with_an_unverified_e_mail_address_sees_no_figures_and_is_told_why(app_env):
    secrets = {"auth": AUTH, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}}
    at = run_app(secrets, {"is_logged_in": True, "email": "jo.smith@council.gov.uk", "name": "Jo Smith"})
    assert not at.exception
    assert not shows_figures(at)
    assert "has not been verified by the sign-in provider" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]


def test_a_name_from_the_identity_provider_is_shown_as_text(app_env):
    secrets = {"auth": AUTH, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}}
    at = run_app(secrets, verified("jo.smith@council.gov.uk", "[Session expired](https://evil.example/x)"))
    line = sidebar_text(at)
    assert "\\[Session expired\\]\\(https\\://evil.example/x\\)" in line
    assert "[Session expired](" not in line
