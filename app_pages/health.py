"""Health: initial and review health assessments on time, annual health checks, dental, immunisations, SDQ."""

from ui.theme import render_theme

render_theme("health")
