"""Plotly figures for the dashboard and for committee papers.

Each function takes frames and a Measure and returns a new figure; titles, axis labels, units and
which way is better all come from the measure catalogue. Figures are built to read on a projector
and in black and white print: large type, series told apart by dash and marker as well as colour,
missing figures drawn as gaps and never as zero.
"""
