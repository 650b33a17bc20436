"""Care leavers: education, employment or training, and suitable accommodation, by age band (17-18 and 19-21)."""

from ui.navigation import ensure_app_navigation
from ui.theme import render_theme

ensure_app_navigation()  # before anything else: see ui.navigation

render_theme("care_leavers")
