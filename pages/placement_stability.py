"""Placement stability: do children in care stay settled where they live?"""

from ui.navigation import ensure_app_navigation
from ui.theme import render_theme

ensure_app_navigation()  # before anything else: see ui.navigation

render_theme("stability")
