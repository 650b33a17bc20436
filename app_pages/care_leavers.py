"""Care leavers: education, employment or training, and suitable accommodation, by age band (17-18 and 19-21)."""

from ui.theme import render_theme

render_theme("care_leavers")
