"""The compact 'Download' control under every chart: pictures (PNG in three sizes, SVG) and the data behind
the chart (CSV, Excel). Pictures are rendered only when asked for (the download's data is a function)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from reference.catalogue import catalogue
from reports.chart_images import SIZES, ImagesUnavailable, pictures_missing, render
from reports.chart_tables import chart_table, to_csv, to_xlsx
from views.charts import ChartView

PNG, SVG = "image/png", "image/svg+xml"
CSV, XLSX = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _picture(view: ChartView, fmt: str, size: str, rating: str):
    caption = replace(view.caption, rating=rating) if view.caption is not None and rating else view.caption

    def make() -> bytes:
        try:
            return render(view.figure, fmt, size, caption)
        except ImagesUnavailable as error:
            # no empty file: the browser says the download failed, and the next run of the page says why
            st.session_state["chart_image_problem"] = str(error)
            raise
    return make


def _table(view: ChartView):
    measure = catalogue().get(view.measure_code) if view.measure_code in catalogue() else None
    title = view.caption.title if view.caption is not None else view.filename.replace("_", " ")
    if view.caption is not None:
        title = f"{title}: {view.caption.council}, {view.caption.period}"
    return chart_table(view.figure, measure, title, view.source)


def download_control(view: ChartView, key: str, rating: str = "") -> None:
    """A 'Download' popover under the chart; ``rating`` is the measure's rating in words, baked into pictures."""
    if view.figure is None:
        return
    problem = st.session_state.pop("chart_image_problem", "")
    if problem:
        st.warning(problem)
    missing = pictures_missing()
    with st.popover("Download", icon=":material/download:"):
        if missing:
            st.caption(missing)
        else:
            st.caption("Pictures carry the title, council, period, target, comparators, rating and source.")
        for size in () if missing else SIZES:
            st.download_button(f"PNG: {size.label}", _picture(view, "png", size.key, rating),
                               file_name=f"{view.filename}_{size.key}.png", mime=PNG, key=f"{key}_png_{size.key}",
                               on_click="ignore")
        if not missing:
            st.download_button("SVG (for editing)", _picture(view, "svg", "full", rating),
                               file_name=f"{view.filename}.svg", mime=SVG, key=f"{key}_svg", on_click="ignore")
        st.download_button("Data behind the chart (CSV)", lambda: to_csv(_table(view)),
                           file_name=f"{view.filename}.csv", mime=CSV, key=f"{key}_csv", on_click="ignore")
        st.download_button("Data behind the chart (Excel)", lambda: to_xlsx(_table(view)),
                           file_name=f"{view.filename}.xlsx", mime=XLSX, key=f"{key}_xlsx", on_click="ignore")
