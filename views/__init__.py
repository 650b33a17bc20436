"""What each screen and the committee pack show, built without Streamlit.

A view builder takes reads (``views.reads``: the app's cached reads, or ``database_reads(engine)``) and
a ``views.scope.Scope`` and returns plain dataclasses: figures, titles, sentences and tables.

- ``views.overview.overview_view(source, scope)``: every measure's verdict, the attention list, the
  scorecard rows as text.
- ``views.measure.measure_view(source, scope, code)``: one measure's trend, neighbour chart, tables,
  breakdowns and why a figure is missing.
- ``views.charts``: the single charts (trend, neighbours, flow, breakdowns) those are made of.
"""
