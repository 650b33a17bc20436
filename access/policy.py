"""Who is an editor: the dashboard's configuration and a person's identity in, a ``User`` out.

Kept free of Streamlit so every rule here is tested on its own; ``ui.signin`` only reads ``st.user``
and the secrets and hands them to these functions. Three set-ups, one rule each:

- local mode (no sign-in, no editors list): the person running the app is an editor, so a one-person
  install, a laptop or a test just works;
- local mode with an editors list (``DASHBOARD_EDITORS``): the operating-system login running the app is
  an editor only if it is listed, else a viewer (a list naming nobody makes the app view-only);
- sign-in (an ``[auth]`` section in ``.streamlit/secrets.toml``): nobody sees a figure before signing in;
  signed in, they view; they are editors only when their e-mail address is listed. With no list, nobody
  is an editor in the browser (imports still run from the command line): failing closed is the safe
  default for an install that people reach over a network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from access.users import User

# Claims an identity provider may put an e-mail address in, in the order they are trusted. Microsoft
# Entra ID leaves out ``email`` for an account without a mailbox but always sends the sign-in name
# (``preferred_username``, usually the address people know).
EMAIL_CLAIMS = ("email", "preferred_username", "upn")
EDITOR_SEPARATORS = re.compile(r"[,;\s]+")
SIGNED_OUT = User(login="not signed in", display_name="not signed in", is_editor=False)


@dataclass(frozen=True)
class AccessConfig:
    """How this install decides who may change what.

    ``editors`` is None when no list is configured (local mode: the person running it is an editor;
    sign-in: nobody is); an empty set names nobody, which makes the dashboard view-only.
    """

    sign_in: bool
    editors: frozenset[str] | None
    providers: tuple[str | None, ...] = (None,)

    @property
    def mode(self) -> str:
        if self.sign_in:
            return "sign-in"
        return "local" if self.editors is None else "local with an editors list"


def normalise_login(login: str) -> str:
    """E-mail addresses and logins compare without case or surrounding spaces (Jo.Smith@ = jo.smith@)."""
    return login.strip().casefold()


def parse_editors(value: object) -> frozenset[str] | None:
    """Editors from a setting: 'a@x.gov.uk, b@x.gov.uk' (commas, semicolons or spaces) or a TOML list.

    None (not configured) for a missing or blank value; a list of names otherwise, compared without case.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        items = EDITOR_SEPARATORS.split(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = [str(item) for item in value]
    else:
        raise ValueError(f"the editors list must be text or a list of e-mail addresses, not {value!r}")
    return frozenset(normalise_login(item) for item in items if item.strip())


def editors_from(environment_value: str, secrets: Mapping[str, object]) -> frozenset[str] | None:
    """The editors list: ``DASHBOARD_EDITORS`` when set, else ``[dashboard] editors`` in secrets.toml."""
    from_environment = parse_editors(environment_value)
    if from_environment is not None:
        return from_environment
    dashboard = secrets.get("dashboard")
    if isinstance(dashboard, Mapping):
        return parse_editors(dashboard.get("editors"))
    return None


def sign_in_providers(auth: Mapping[str, object]) -> tuple[str | None, ...]:
    """The providers ``st.login`` can use: None for one set out in ``[auth]`` itself, else each
    ``[auth.NAME]`` section with a client id, in the file's order."""
    named = tuple(name for name, section in auth.items()
                  if isinstance(section, Mapping) and "client_id" in section)
    if "client_id" in auth or not named:
        return (None, *named)
    return named


def access_config(secrets: Mapping[str, object], environment_editors: str) -> AccessConfig:
    """The configuration from the parsed secrets (``{}`` without a secrets file) and ``DASHBOARD_EDITORS``."""
    auth = secrets.get("auth")
    sign_in = isinstance(auth, Mapping) and bool(auth)
    providers = sign_in_providers(auth) if sign_in else (None,)  # type: ignore[arg-type]
    return AccessConfig(sign_in=sign_in, editors=editors_from(environment_editors, secrets), providers=providers)


def is_listed(login: str, editors: frozenset[str] | None) -> bool:
    return editors is not None and normalise_login(login) in editors


def local_user(login: str, editors: frozenset[str] | None) -> User:
    """The operating-system login running the app: an editor unless a list is configured without it."""
    return User(login=login, display_name=login, is_editor=editors is None or is_listed(login, editors))


def email_of(claims: Mapping[str, object]) -> str:
    """The e-mail address a provider sent, or '' when it sent none that looks like one."""
    for claim in EMAIL_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value and value.strip():
            return value.strip()
    return ""


def signed_in_user(claims: Mapping[str, object], editors: frozenset[str] | None) -> User:
    """The person ``st.user`` describes. Not signed in: SIGNED_OUT. No e-mail address: a viewer, because
    the editors list names people by address and nothing else identifies them reliably."""
    if not claims.get("is_logged_in"):
        return SIGNED_OUT
    email = email_of(claims)
    name = str(claims.get("name") or "").strip()
    if not email:
        subject = str(claims.get("sub") or "").strip()
        login = name or subject or "signed in without an e-mail address"
        return User(login=login, display_name=name or login, is_editor=False)
    return User(login=email, display_name=name or email, is_editor=is_listed(email, editors))


def user_for(config: AccessConfig, os_login: str, claims: Mapping[str, object]) -> User:
    """Who is using the app: the signed-in person under sign-in, else the operating-system login."""
    if config.sign_in:
        return signed_in_user(claims, config.editors)
    return local_user(os_login, config.editors)
