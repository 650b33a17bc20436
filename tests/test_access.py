"""Who may change what, decided without Streamlit: local mode, an editors list, and OpenID Connect sign-in.

Each test is a set-up an administrator could have (settings, secrets, what the identity provider sent)
and what the person then may do.
"""

from __future__ import annotations

import pytest

import settings
from access import NotAnEditor, command_line_user, require_editor
from access.policy import (
    SIGNED_OUT,
    IncompleteSignIn,
    access_config,
    identity_of,
    local_user,
    parse_editors,
    signed_in_user,
    user_for,
)
from access.users import os_login
from db import queries
from loaders.sample import load_sample_if_empty

AUTH = {"redirect_uri": "https://dashboard.example.gov.uk/oauth2callback", "cookie_secret": "placeholder",
        "microsoft": {"client_id": "placeholder", "client_secret": "placeholder",
                      "server_metadata_url": "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration"}}


TENANT = "0a1b2c3d-1111-2222-3333-444455556666"  # the council's Entra ID tenant
ENTRA_ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
ENTRA_AUTH = {**AUTH, "microsoft": {**AUTH["microsoft"], "server_metadata_url":
                                    f"https://login.microsoftonline.com/{TENANT}/v2.0/.well-known/openid-configuration"}}


def signed_in(email: str | None = None, name: str = "Jo Smith", **claims: object) -> dict[str, object]:
    """What ``st.user`` holds after signing in with a provider that verified the e-mail address."""
    found: dict[str, object] = {"is_logged_in": True, "name": name, "sub": "AAAAsubject"}
    if email is not None:
        found.update(email=email, email_verified=True)
    return {**found, **claims}


def entra(name: str, tenant: str = TENANT, **claims: object) -> dict[str, object]:
    """What ``st.user`` holds after signing in with Microsoft Entra ID: a sign-in name, no verified e-mail."""
    return {"is_logged_in": True, "name": "Jo Smith", "iss": f"https://login.microsoftonline.com/{tenant}/v2.0",
            "tid": tenant, "preferred_username": name, **claims}


def test_local_mode_makes_the_person_running_it_an_editor():
    config = access_config({}, "")
    assert not config.sign_in and config.editors is None
    user = user_for(config, "jsmith", {})
    assert user.is_editor and user.login == "jsmith"
    require_editor(user, "import a return")  # does not raise


def test_an_editors_list_in_local_mode_makes_an_unlisted_login_a_viewer():
    config = access_config({}, "asmith, jsmith")
    assert user_for(config, "JSmith", {}).is_editor
    viewer = user_for(config, "bjones", {})
    assert not viewer.is_editor
    with pytest.raises(NotAnEditor, match="bjones may view the dashboard but not undo an import"):
        require_editor(viewer, "undo an import")


def test_a_list_naming_nobody_else_makes_the_dashboard_view_only():
    assert not user_for(access_config({}, "none"), "jsmith", {}).is_editor


@pytest.mark.parametrize("text", ["a@x.gov.uk,b@x.gov.uk", " a@x.gov.uk ; B@X.gov.uk ", "a@x.gov.uk b@x.gov.uk"])
def test_editors_may_be_separated_by_commas_semicolons_or_spaces(text):
    assert parse_editors(text) == {"a@x.gov.uk", "b@x.gov.uk"}


def test_a_blank_editors_setting_is_not_configured():
    assert parse_editors("  ") is None
    assert local_user("jsmith", parse_editors("")).is_editor


def test_a_signed_in_person_on_the_editors_list_is_an_editor_whatever_the_case():
    config = access_config({"auth": AUTH, "dashboard": {"editors": ["Jo.Smith@Council.gov.uk"]}}, "")
    assert config.sign_in and config.providers == ("microsoft",)
    user = user_for(config, "server-account", signed_in("jo.smith@council.GOV.uk"))
    assert user.is_editor
    assert user.login == "jo.smith@council.GOV.uk"  # recorded as the provider wrote it
    assert user.label == "Jo Smith (jo.smith@council.GOV.uk)"


def test_a_signed_in_person_not_on_the_list_views_only():
    config = access_config({"auth": AUTH, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}}, "")
    user = user_for(config, "server-account", signed_in("sam.lee@council.gov.uk", name="Sam Lee"))
    assert not user.is_editor and user.role == "viewer"
    with pytest.raises(NotAnEditor, match="Sam Lee \\(sam.lee@council.gov.uk\\) may view"):
        require_editor(user, "write commentary")


def test_the_operating_system_login_counts_for_nothing_under_sign_in():
    config = access_config({"auth": AUTH}, "server-account")
    assert not user_for(config, "server-account", signed_in("sam.lee@council.gov.uk")).is_editor
    assert user_for(config, "server-account", {}) == SIGNED_OUT


def test_the_environment_list_wins_over_the_secrets_list():
    config = access_config({"auth": AUTH, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}},
                           "sam.lee@council.gov.uk")
    assert user_for(config, "x", signed_in("sam.lee@council.gov.uk")).is_editor
    assert not user_for(config, "x", signed_in("jo.smith@council.gov.uk")).is_editor


def test_sign_in_without_an_editors_list_makes_nobody_an_editor():
    config = access_config({"auth": AUTH}, "")
    assert config.editors is None
    assert not user_for(config, "x", signed_in("jo.smith@council.gov.uk")).is_editor


def test_a_person_signed_in_without_an_e_mail_address_has_no_role():
    config = access_config({"auth": AUTH, "dashboard": {"editors": ["jo smith", "aaaasubject"]}}, "")
    assert signed_in_user(signed_in(None), config.editors) == SIGNED_OUT
    assert identity_of(signed_in(None)).refused == "the sign-in provider did not say which e-mail address is yours"


def test_entra_sign_in_name_identifies_someone_from_the_configured_tenant():
    config = access_config({"auth": ENTRA_AUTH, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}}, "")
    assert config.entra_tenants == {TENANT}  # read from server_metadata_url
    user = user_for(config, "x", entra("Jo.Smith@council.gov.uk"))
    assert user.is_editor and user.login == "Jo.Smith@council.gov.uk"


def test_an_unverified_e_mail_claim_identifies_nobody():
    """Entra ID sends whatever address an account's owner typed in 'email', without saying it was verified:
    an account in another tenant could give an editor's address."""
    editors = parse_editors("jo.smith@council.gov.uk")
    unverified = {**signed_in(None), "email": "jo.smith@council.gov.uk"}
    for claims in (unverified, {**unverified, "email_verified": False}, {**unverified, "email_verified": "false"}):
        assert signed_in_user(claims, editors) == SIGNED_OUT
        assert "has not been verified" in identity_of(claims).refused
    assert signed_in_user(signed_in("jo.smith@council.gov.uk"), editors).is_editor  # verified: trusted
    assert identity_of({**signed_in(None), "email": "jo.smith@council.gov.uk",
                        "email_verified": "true"}).address == "jo.smith@council.gov.uk"  # sent as text


def test_an_entra_sign_in_name_from_another_tenant_identifies_nobody():
    tenants = frozenset({TENANT})
    editors = parse_editors("jo.smith@council.gov.uk")
    other = entra("jo.smith@council.gov.uk", tenant="99999999-aaaa-bbbb-cccc-dddddddddddd",
                  email="jo.smith@council.gov.uk")  # an unverified e-mail claim beside it changes nothing
    assert signed_in_user(other, editors, tenants) == SIGNED_OUT
    assert identity_of(other, tenants).refused == ("Microsoft signed you in from an organisation other than the "
                                                   "council's")
    missing_tid = {k: v for k, v in entra("jo.smith@council.gov.uk").items() if k != "tid"}
    assert signed_in_user(missing_tid, editors, tenants) == SIGNED_OUT
    assert identity_of(entra("jo.smith@council.gov.uk", upn="x"), tenants).address == "jo.smith@council.gov.uk"


def test_without_a_configured_tenant_no_entra_sign_in_name_is_trusted(monkeypatch):
    common = {**AUTH, "microsoft": {**AUTH["microsoft"], "server_metadata_url":
                                    "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"}}
    config = access_config({"auth": common, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}}, "")
    assert config.entra_tenants == frozenset()
    assert user_for(config, "x", entra("jo.smith@council.gov.uk")) == SIGNED_OUT
    assert "DASHBOARD_ENTRA_TENANT_ID" in identity_of(entra("jo.smith@council.gov.uk")).refused
    configured = access_config({"auth": common, "dashboard": {"editors": ["jo.smith@council.gov.uk"]}}, "",
                               TENANT.upper())
    assert user_for(configured, "x", entra("jo.smith@council.gov.uk")).is_editor


@pytest.mark.parametrize(("auth", "message"), [
    ({}, "[auth] has no redirect_uri or cookie_secret; no sign-in provider is set up (neither client_id, "
         "client_secret or server_metadata_url in [auth] nor a provider section such as [auth.microsoft])"),
    ({**AUTH, "cookie_secret": " "}, "[auth] has no cookie_secret"),
    ({**AUTH, "microsoft": {"client_id": "x"}}, "[auth.microsoft] has no client_secret or server_metadata_url"),
    ({"redirect_uri": "x", "cookie_secret": "y", "client_id": "z"},
     "[auth] has no client_secret or server_metadata_url"),
    ({**AUTH, "my_idp": AUTH["microsoft"]}, "[auth.my_idp] has an underscore in its name, which sign-in does "
                                           "not allow"),
])
def test_incomplete_sign_in_settings_are_refused_naming_what_is_missing(auth, message):
    with pytest.raises(IncompleteSignIn) as refused:
        access_config({"auth": auth}, "")
    assert str(refused.value) == message


def test_complete_sign_in_settings_with_a_default_provider_and_its_options_are_accepted():
    flat = {**{k: v for k, v in AUTH.items() if k != "microsoft"}, **AUTH["microsoft"],
            "client_kwargs": {"prompt": "login"}}
    assert access_config({"auth": flat}, "").sign_in


def test_not_signed_in_is_never_an_editor():
    assert signed_in_user({"is_logged_in": False, "email": "jo.smith@council.gov.uk"},
                          parse_editors("jo.smith@council.gov.uk")) == SIGNED_OUT


def test_an_auth_section_with_its_own_client_uses_the_default_provider():
    flat = {**{k: v for k, v in AUTH.items() if k != "microsoft"}, **AUTH["microsoft"]}
    assert access_config({"auth": flat}, "").providers == (None,)


def test_an_editors_list_that_is_not_a_list_is_refused():
    with pytest.raises(ValueError, match="must be text or a list"):
        access_config({"dashboard": {"editors": 3}}, "")


def test_the_command_line_is_an_editor_recording_the_login(monkeypatch):
    monkeypatch.setenv("DASHBOARD_USER", "perf.officer")
    monkeypatch.setenv("DASHBOARD_EDITORS", "someone.else")  # lists limit the browser, not the command line
    user = command_line_user()
    assert user.is_editor and user.login == "perf.officer"
    assert settings.current_user() == "perf.officer"


def test_without_dashboard_user_the_operating_system_login_is_recorded(monkeypatch):
    monkeypatch.delenv("DASHBOARD_USER", raising=False)
    monkeypatch.setenv("USER", "jsmith")
    assert os_login() == "jsmith" == settings.current_user()
    assert os_login() != "unknown"


def test_first_start_loads_record_the_operating_system_login(engine, monkeypatch):
    monkeypatch.setenv("DASHBOARD_USER", "perf.officer")
    monkeypatch.setenv("DASHBOARD_LOAD_SAMPLE", "1")
    assert load_sample_if_empty(engine)
    who = set(queries.batches(engine)["imported_by"])
    assert who == {"perf.officer"}
