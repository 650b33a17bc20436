"""The person using the app, for pages and for every write they make.

This module only reads Streamlit (``st.user``, the secrets) and the settings; every decision is made by
``access.policy``, where it is tested without Streamlit. Local mode (no ``[auth]`` in
``.streamlit/secrets.toml``: a fresh install, a test) needs no sign-in; with ``[auth]`` set, Streamlit's
OpenID Connect sign-in (``st.login``) guards every page. See "Who may change what" in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st
from streamlit import config as st_config
from streamlit.errors import StreamlitAuthError, StreamlitMissingAuthlibError

import settings
from access import policy
from access.users import User, os_login
from metrics.safe_text import markdown_text

SECRETS_HELP = "Ask the dashboard's administrator to check .streamlit/secrets.toml (see the README's 'Who may change what')."


class SignInNotReadable(Exception):
    """A secrets file exists but cannot be read: the app must not fall back to local mode, where
    whoever reaches it would be treated as the person running the server."""


def _secrets() -> Mapping[str, object]:
    """The parsed secrets, ``{}`` when there is no secrets file; SignInNotReadable for a broken one."""
    if st.secrets.load_if_toml_exists():
        return st.secrets
    present = [path for path in st_config.get_option("secrets.files") if Path(path).is_file()]
    if present:
        raise SignInNotReadable(f"The sign-in settings in {present[0]} cannot be read (is it valid TOML?). "
                                f"{SECRETS_HELP}")
    return {}


def access_config() -> policy.AccessConfig:
    """This install's configuration, read afresh on each run so a changed setting takes effect."""
    try:
        return policy.access_config(_secrets(), settings.EDITORS.value(), settings.ENTRA_TENANT.value())
    except policy.IncompleteSignIn as error:
        raise SignInNotReadable(f"The sign-in settings in .streamlit/secrets.toml are incomplete: {error}. "
                                f"{SECRETS_HELP}") from None
    except ValueError as error:  # an editors list that is neither text nor a list
        raise SignInNotReadable(f"The editors list cannot be read: {error}. {SECRETS_HELP}") from None


def _claims() -> Mapping[str, object]:
    """What the identity provider said about the person (``{}`` in local mode or outside a run)."""
    return st.user.to_dict()


def current_user() -> User:
    """Who is using the app now. Pages show editing controls only when ``current_user().is_editor``.

    A configuration that cannot be read gives a viewer, never an editor.
    """
    try:
        config = access_config()
    except SignInNotReadable:
        return policy.SIGNED_OUT
    from access.grants import scoped_user
    from ui import data

    return scoped_user(policy.user_for(config, os_login(), _claims()), data.access())


def identified_login() -> str:
    """The login whose grants apply: the signed-in person's address, the operating-system login in local
    mode, '' for nobody (signed out, or a configuration that cannot be read: no council's own figures)."""
    try:
        config = access_config()
    except SignInNotReadable:
        return ""
    user = policy.user_for(config, os_login(), _claims())
    return "" if user is policy.SIGNED_OUT else user.login


def _provider_label(provider: str | None) -> str:
    if provider is None:
        return "Sign in"
    return "Sign in with " + {"microsoft": "Microsoft", "entra": "Microsoft"}.get(provider, provider.title())


def sign_in_page(config: policy.AccessConfig) -> None:
    """What someone not signed in sees: the dashboard's name and a sign-in button, no figures."""
    st.title("Corporate parenting dashboard")
    st.write("Sign in with your council account to see the dashboard.")
    for provider in config.providers:
        if st.button(_provider_label(provider), type="primary", key=f"sign_in_{provider or 'default'}"):
            try:
                st.login(provider)
            except StreamlitMissingAuthlibError:
                st.error("Sign-in needs the Authlib package, which is not installed. Ask the dashboard's "
                         "administrator to run `pip install -r requirements.txt`.")
            except StreamlitAuthError as error:
                st.error(f"Sign-in is not set up correctly: {markdown_text(error)} {SECRETS_HELP}")


def require_sign_in() -> None:
    """The gate app.py runs before navigation: with sign-in configured and nobody signed in, the sign-in
    page and nothing else; a configuration that cannot be read stops the app with what to do."""
    try:
        config = access_config()
    except SignInNotReadable as error:
        st.error(str(error))
        st.stop()
    if config.sign_in and not _claims().get("is_logged_in"):
        sign_in_page(config)
        st.stop()
    if config.sign_in:
        identity = policy.identity_of(_claims(), config.entra_tenants)
        if not identity.address:
            not_identified_page(identity.refused)
            st.stop()


def not_identified_page(reason: str) -> None:
    """Signed in, but not as anyone the dashboard can trust: no role, no figures, and why."""
    st.title("Corporate parenting dashboard")
    st.error(f"You are signed in, but the dashboard cannot tell who you are: {reason}. Nobody can view or "
             "change figures without that. Sign out and sign in with your council account; if this goes on, ask "
             "the dashboard's administrator.")
    if st.button("Sign out", key="sign_out_unidentified"):
        st.logout()


def role_line(user: User) -> str:
    """'Signed in as Jo Smith (jo.smith@council.gov.uk) (editor)', the name shown as written (it comes from
    the identity provider, where its owner may have typed markdown)."""
    return f"Signed in as {markdown_text(user.label)} ({user.role})"


def sidebar_identity() -> None:
    """Who is signed in and whether they may change anything, with a sign-out button under sign-in."""
    try:
        config = access_config()
    except SignInNotReadable:
        return  # require_sign_in has already said what is wrong
    user = current_user()
    with st.sidebar:
        st.caption(role_line(user))
        if config.sign_in and user.is_editor is False and config.editors is None:
            st.caption("No editors are configured yet, so nobody can change figures here.")
        if config.sign_in and st.button("Sign out", key="sign_out"):
            st.logout()
