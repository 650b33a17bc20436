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
  default for an install that people reach over a network. An ``[auth]`` section missing a setting
  Streamlit's sign-in needs stops the app (``IncompleteSignIn``) rather than opening it in local mode.

Who someone is comes only from what the identity provider vouches for (``identity_of``): an ``email`` claim
with ``email_verified`` true (OpenID Connect), or Microsoft Entra ID's sign-in name (``preferred_username``,
``upn``) from the configured tenant (``tid``). An unverified ``email`` can be set by whoever controls an
account in any tenant, so it could name an editor: such a person is signed in as nobody and is told why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from access.users import User

# Microsoft Entra ID's sign-in names: trusted only from the configured tenant, where the tenant's own
# administrators issue them (``tid`` names the tenant that signed the person in). Entra ID does not say
# whether its ``email`` claim was verified, so there the sign-in name is what identifies someone.
ENTRA_NAME_CLAIMS = ("preferred_username", "upn")
ENTRA_ISSUERS = ("login.microsoftonline.com", "sts.windows.net")
# server_metadata_url's tenant segment: a tenant id or domain, or one of Entra's shared endpoints, which
# let any tenant sign in and so configure no tenant.
ENTRA_METADATA_TENANT = re.compile(r"login\.microsoftonline\.com/([^/]+)/", re.IGNORECASE)
ENTRA_SHARED_ENDPOINTS = frozenset({"common", "organizations", "consumers"})
# What st.login needs (Streamlit's st.login documentation): shared settings in [auth], and for each provider
# (the default one in [auth] itself, or [auth.NAME]) its client and where its settings are published.
SHARED_SIGN_IN_SETTINGS = ("redirect_uri", "cookie_secret")
PROVIDER_SIGN_IN_SETTINGS = ("client_id", "client_secret", "server_metadata_url")
NOT_PROVIDERS = frozenset({"client_kwargs"})  # a table inside [auth] that is the default provider's options
EDITOR_SEPARATORS = re.compile(r"[,;\s]+")
SIGNED_OUT = User(login="not signed in", display_name="not signed in", is_editor=False)


class IncompleteSignIn(ValueError):
    """The ``[auth]`` section lacks what sign-in needs: the message names every missing setting."""


@dataclass(frozen=True)
class AccessConfig:
    """How this install decides who may change what.

    ``editors`` is None when no list is configured (local mode: the person running it is an editor;
    sign-in: nobody is); an empty set names nobody, which makes the dashboard view-only.
    """

    sign_in: bool
    editors: frozenset[str] | None
    providers: tuple[str | None, ...] = (None,)
    entra_tenants: frozenset[str] = frozenset()  # tenants whose sign-in names are trusted (lower case)

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


def _is_set(section: Mapping[str, object], key: str) -> bool:
    value = section.get(key)
    return value is not None and str(value).strip() != ""


def missing_sign_in_settings(auth: object) -> list[str]:
    """What an ``[auth]`` section lacks for st.login, as phrases ('[auth] has no cookie_secret'); [] when
    complete. An empty section, or one without any provider, is incomplete: it must never read as local mode."""
    if not isinstance(auth, Mapping):
        return ["[auth] is not a section of settings"]
    missing = []
    lacking = [key for key in SHARED_SIGN_IN_SETTINGS if not _is_set(auth, key)]
    if lacking:
        missing.append(f"[auth] has no {_or_list(lacking)}")
    named = {name: section for name, section in auth.items()
             if isinstance(section, Mapping) and name not in NOT_PROVIDERS}
    lacking = [key for key in PROVIDER_SIGN_IN_SETTINGS if not _is_set(auth, key)]
    if not named and len(lacking) == len(PROVIDER_SIGN_IN_SETTINGS):
        missing.append(f"no sign-in provider is set up (neither {_or_list(lacking)} in [auth] nor a provider "
                       "section such as [auth.microsoft])")
    elif lacking and len(lacking) < len(PROVIDER_SIGN_IN_SETTINGS):
        missing.append(f"[auth] has no {_or_list(lacking)}")
    for name, section in named.items():
        if "_" in str(name):
            missing.append(f"[auth.{name}] has an underscore in its name, which sign-in does not allow")
        lacking = [key for key in PROVIDER_SIGN_IN_SETTINGS if not _is_set(section, key)]
        if lacking:
            missing.append(f"[auth.{name}] has no {_or_list(lacking)}")
    return missing


def _or_list(words: list[str]) -> str:
    """'client_id', 'client_id or client_secret', 'client_id, client_secret or server_metadata_url'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def entra_tenants(auth: Mapping[str, object], configured: str = "") -> frozenset[str]:
    """The Entra ID tenants whose sign-in names identify people: ``DASHBOARD_ENTRA_TENANT_ID`` when set,
    else the tenant in each provider's server_metadata_url (not Entra's shared 'common' endpoints)."""
    if configured.strip():
        return frozenset(t.strip().casefold() for t in EDITOR_SEPARATORS.split(configured) if t.strip())
    sections = [auth, *(s for s in auth.values() if isinstance(s, Mapping))]
    found = set()
    for section in sections:
        match = ENTRA_METADATA_TENANT.search(str(section.get("server_metadata_url") or ""))
        if match and match.group(1).casefold() not in ENTRA_SHARED_ENDPOINTS:
            found.add(match.group(1).casefold())
    return frozenset(found)


def access_config(secrets: Mapping[str, object], environment_editors: str, environment_tenant: str = "") -> AccessConfig:
    """The configuration from the parsed secrets (``{}`` without a secrets file), ``DASHBOARD_EDITORS`` and
    ``DASHBOARD_ENTRA_TENANT_ID``. IncompleteSignIn when an ``[auth]`` section, even an empty one, lacks what
    sign-in needs: opening the app in local mode would make everyone who reaches it an editor."""
    if "auth" not in secrets:
        return AccessConfig(sign_in=False, editors=editors_from(environment_editors, secrets))
    auth = secrets["auth"]
    missing = missing_sign_in_settings(auth)
    if missing:
        raise IncompleteSignIn("; ".join(missing))
    assert isinstance(auth, Mapping)
    return AccessConfig(sign_in=True, editors=editors_from(environment_editors, secrets),
                        providers=sign_in_providers(auth), entra_tenants=entra_tenants(auth, environment_tenant))


def is_listed(login: str, editors: frozenset[str] | None) -> bool:
    return editors is not None and normalise_login(login) in editors


def local_user(login: str, editors: frozenset[str] | None) -> User:
    """The operating-system login running the app: an editor unless a list is configured without it."""
    return User(login=login, display_name=login, is_editor=editors is None or is_listed(login, editors))


@dataclass(frozen=True)
class Identity:
    """Who the provider vouches the person is: an e-mail address, or '' with the reason in words."""

    address: str
    refused: str = ""


def _address(value: object) -> str:
    return value.strip() if isinstance(value, str) and "@" in value and value.strip() else ""


def _is_true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().casefold() == "true")


def is_entra(claims: Mapping[str, object]) -> bool:
    issuer = str(claims.get("iss") or "").casefold()
    return any(host in issuer for host in ENTRA_ISSUERS)


def identity_of(claims: Mapping[str, object], tenants: frozenset[str] = frozenset()) -> Identity:
    """The address that identifies a signed-in person, from claims the provider guarantees only:

    - ``email`` when ``email_verified`` is true (OpenID Connect Core: otherwise the address is whatever
      the account's owner typed, and could be an editor's);
    - from Microsoft Entra ID (issuer login.microsoftonline.com), ``preferred_username`` (else ``upn``)
      when ``tid`` is a configured tenant: names in the council's own tenant are issued by its administrators.
    """
    email = _address(claims.get("email"))
    if email and _is_true(claims.get("email_verified")):
        return Identity(email)
    if is_entra(claims):
        tenant = str(claims.get("tid") or "").strip().casefold()
        name = next((found for claim in ENTRA_NAME_CLAIMS if (found := _address(claims.get(claim)))), "")
        if name and tenant and tenant in tenants:
            return Identity(name)
        if name and not tenants:
            return Identity("", "Microsoft sent a sign-in name, but the dashboard has no Microsoft tenant to "
                                "check it against (set DASHBOARD_ENTRA_TENANT_ID, or name the tenant in "
                                "server_metadata_url instead of 'common')")
        if name:
            return Identity("", "Microsoft signed you in from an organisation other than the council's")
    if email:
        return Identity("", "the e-mail address your account gave has not been verified by the sign-in provider")
    return Identity("", "the sign-in provider did not say which e-mail address is yours")


def signed_in_user(claims: Mapping[str, object], editors: frozenset[str] | None,
                   tenants: frozenset[str] = frozenset()) -> User:
    """The person ``st.user`` describes. Not signed in, or signed in without an identity the provider
    vouches for: SIGNED_OUT (no role), because the editors list names people by address and an address
    nobody verified could name anyone."""
    if not claims.get("is_logged_in"):
        return SIGNED_OUT
    identity = identity_of(claims, tenants)
    if not identity.address:
        return SIGNED_OUT
    name = str(claims.get("name") or "").strip()
    return User(login=identity.address, display_name=name or identity.address,
                is_editor=is_listed(identity.address, editors))


def user_for(config: AccessConfig, os_login: str, claims: Mapping[str, object]) -> User:
    """Who is using the app: the signed-in person under sign-in, else the operating-system login."""
    if config.sign_in:
        return signed_in_user(claims, config.editors, config.entra_tenants)
    return local_user(os_login, config.editors)
