"""Placement stability: do children in care stay settled where they live?"""

from ui.theme import render_theme

render_theme("stability")
