"""The dashboard's entry point: page set-up, first-start loading and navigation. Each page is a file in app_pages/."""

from __future__ import annotations

import importlib
import logging

import streamlit as st

import settings
from ui import data, failure, signin, ssda903_upload
from ui.components import page_style
from ui.filters import public_mode_banner, public_mode_switch
from ui.navigation import app_pages

log = logging.getLogger(__name__)
SWITCHED_ON = {"1", "true", "yes", "on"}
SIDEBAR_PX = 370  # the longest council name and measure short name fit the sidebar's boxes on one line

# What loads on first start: (module, function, the setting that switches it on, or None where the
# loader decides for itself). A module that is not installed is skipped, so the app still starts on a
# database filled by hand. The sample decides itself: a real council's install never gets it by default.
FIRST_START_LOADS = (
    ("loaders.sample", "load_sample_if_empty", None, "the sample council's returns"),
    ("loaders.published", "load_published_if_empty", settings.LOAD_PUBLISHED, "DfE's published figures"),
)


def _role_warning(engine) -> tuple[str, ...]:
    """Once grants keep councils apart, a sentence for an administrator when the database cannot (db.rls)."""
    from access.grants import scoping_on
    from db.rls import unsafe_role

    if engine.dialect.name != "postgresql" or not scoping_on(engine):
        return ()
    with engine.connect() as connection:
        found = unsafe_role(connection)
    return (found,) if found else ()


@st.cache_resource(show_spinner="Getting the dashboard ready: loading the first figures (once only)...")
def start_up(url: str) -> tuple[str, ...]:
    """Connect (and migrate), then load the sample and DfE's figures into an empty database, once per process.

    Returns warnings for people to read: a first-start load that failed must not stop the dashboard.
    """
    engine = data.engine()
    warnings = list(_role_warning(engine))
    for module_name, function_name, setting, what in FIRST_START_LOADS:
        if setting is not None and setting.value().strip().lower() not in SWITCHED_ON:
            continue
        try:
            load = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError):
            log.info("first-start load %s.%s is not available", module_name, function_name)
            continue
        try:
            reports = load(engine)
        except ImportError:
            log.info("first-start load %s.%s needs a module that is not available", module_name, function_name)
            continue
        except Exception as error:  # a broken file must not stop the dashboard: say so on the page, in words
            log.exception("first-start load of %s failed", what)  # the details, SQL included, for the server's log
            warnings.append(f"Loading {what} failed ({error.__class__.__name__}): the dashboard works without "
                            f"them. The server's log says why; an editor can load them on the Imports page.")
            continue
        for report in reports or []:
            if getattr(report, "status", "") == "rejected":
                warnings.append(f"{report.file_name} was not loaded ({len(report.problems)} problems). "
                                f"An editor can load it on the Imports page to see each problem.")
    return tuple(warnings)


st.set_page_config(page_title="Corporate parenting dashboard", page_icon=":material/dashboard:", layout="wide",
                   initial_sidebar_state=SIDEBAR_PX)


def draw() -> None:
    """Sign-in, the first start, the menu and the page chosen, with the sidebar's switches."""
    signin.require_sign_in()  # with sign-in configured, nobody sees a figure (or a loading message) before it
    for warning in start_up(data.database_url()):
        st.warning(warning)
    data.start_run()
    page = st.navigation(app_pages())
    ssda903_upload.forget_off_page(page.url_path)  # a 903 preview names children: kept only while its page is open
    signin.sidebar_identity()
    public_mode_banner()  # when public mode is on, the banner above every page
    try:
        page.run()
    except Exception as error:  # noqa: BLE001 - a sentence on the page, the details in the server's log
        failure.show_failure(error, page.url_path)
    public_mode_switch()  # at the foot of the sidebar, after the page's own filters


page_style()
try:
    draw()
except Exception as error:  # noqa: BLE001 - before the page: the database unreachable, most likely
    failure.show_failure(error)
