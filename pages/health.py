"""Health: initial and review health assessments on time, annual health checks, dental, immunisations, SDQ."""

from ui.navigation import ensure_app_navigation
from ui.theme import render_theme

ensure_app_navigation()  # before anything else: see ui.navigation

render_theme("health")
