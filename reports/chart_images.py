"""Any chart as a picture for a committee paper: PNG at 2x in three sizes, and SVG, rendered on the server.

The picture carries what the page says around the chart (charts.caption.ChartCaption: target, comparators
and their year, rating, commentary), so it explains itself pasted into a paper. One renderer is kept
running for every picture in the process (starting one costs about 3 s; a picture then about 0.25 s), and
the last pictures made are kept by what they draw, so a pack made again (after a commentary is added, say)
redraws only the charts that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass

import plotly.graph_objects as go

from charts.caption import ChartCaption
from charts.palette import TEXT
from metrics.safe_text import chart_text

SCALE = 2  # every PNG at twice its layout size: sharp in print and on a high-density screen


@dataclass(frozen=True)
class ImageSize:
    key: str
    label: str
    width: int  # layout pixels; the PNG is SCALE times this
    height: int


# Full A4 width: the 16 cm text column of a council paper, 1000 px (2000 px at 2x, about 300 dpi there).
# Half A4 width: two charts side by side, 800 by 600 px (1600 by 1200 at 2x: its labels keep the size they
# have on screen, and the picture is scaled down in the paper, so nothing crowds). Slide: 16:9, 1280 by 720 px, a projector's size.
SIZES: tuple[ImageSize, ...] = (
    ImageSize("full", "Full A4 width", 1000, 560),
    ImageSize("half", "Half A4 width", 800, 600),
    ImageSize("slide", "16:9 slide", 1280, 720),
)
SIZE_BY_KEY = {size.key: size for size in SIZES}
LINE_PX = 18  # the height of one caption line under the chart


class ImagesUnavailable(RuntimeError):
    """No picture can be made here: the message says what is missing."""


def caption_lines(caption: ChartCaption) -> list[str]:
    """The lines baked under the chart: what the page says beside it that the figure does not."""
    lines = []
    rated = " · ".join(p for p in (caption.rating, caption.polarity) if p)
    first = " · ".join(p for p in (caption.target, rated) if p)
    if first:
        lines.append(first)
    if caption.comparators:
        lines.append(caption.comparators)
    if caption.commentary:
        text = caption.commentary if len(caption.commentary) <= 140 else caption.commentary[:137] + "..."
        lines.append(f"💬 Commentary: {text}")
    return lines


CHAR_PX = 7  # about how wide one caption character is at 12 px, to wrap lines to the picture's width


def wrap(lines: list[str], width_px: int) -> list[str]:
    """The lines wrapped at word boundaries to fit the picture's width."""
    import textwrap

    room = max(40, (width_px - 120) // CHAR_PX)
    return [part for line in lines for part in textwrap.wrap(line, room)]


def with_caption(figure: go.Figure, caption: ChartCaption | None, width_px: int = 1000) -> go.Figure:
    """A copy of the figure with the caption's lines at the top, under its title (the figure is not changed)."""
    out = go.Figure(figure)
    lines = wrap(caption_lines(caption), width_px) if caption is not None else []
    if not lines:
        return out
    top = (out.layout.margin.t or 80) if out.layout.margin else 80
    out.update_layout(margin={"t": top + LINE_PX * len(lines) + 6})
    # a commentary is a person's text: shown as written, never as Plotly's HTML
    out.add_annotation(text="<br>".join(chart_text(line) for line in lines), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                       yanchor="bottom", yshift=6, showarrow=False, align="left",
                       font={"size": 12, "color": TEXT})
    return out


_lock = threading.Lock()
_started = False
# The pictures last made, by a hash of everything they draw (the figure with its caption, format and size):
# the same drawing is the same picture, so a pack made again redraws only what changed. About 100 kB each.
KEPT_PICTURES = 128
_made: OrderedDict[str, bytes] = OrderedDict()


def pictures_missing() -> str:
    """'' when pictures can be made here, else the sentence that says what is missing (checked before any
    button is offered, so nobody downloads an empty file)."""
    import shutil

    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        return ""
    return ("Chart pictures cannot be made on this server: they need Debian's chromium (apt-get install "
            "chromium; ./run.sh installs it when it can). The data behind the chart still downloads.")


def is_running() -> bool:
    return _started


def start() -> None:
    """Start the one renderer this process shares, if it is not running; ImagesUnavailable when it cannot."""
    global _started
    with _lock:
        if _started:
            return
        try:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
        except Exception as error:  # noqa: BLE001 - no browser, no kaleido: one sentence for the page
            raise ImagesUnavailable(
                f"Chart pictures cannot be made on this server ({error.__class__.__name__}): they need "
                f"Debian's chromium (apt-get install chromium); ./run.sh installs it when it can.") from error
        _started = True


def stop() -> None:
    """Stop the shared renderer (a command that made its pictures and is done)."""
    global _started
    with _lock:
        if not _started:
            return
        import kaleido

        with contextlib.suppress(Exception):  # stopping a renderer that already stopped is harmless
            kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def render(figure: go.Figure, fmt: str = "png", size: str | ImageSize = "full",
           caption: ChartCaption | None = None) -> bytes:
    """The chart as PNG (at 2x) or SVG bytes, in one of SIZES (or a size of the caller's), with its caption."""
    chosen = size if isinstance(size, ImageSize) else SIZE_BY_KEY[size]
    shown = with_caption(figure, caption, chosen.width)
    key = hashlib.sha256(f"{fmt}|{chosen.width}x{chosen.height}|{shown.to_json()}".encode()).hexdigest()
    with _lock:
        if key in _made:
            _made.move_to_end(key)
            return _made[key]
    start()
    try:
        with warnings.catch_warnings():  # plotly warns that a running renderer ignores per-call options
            warnings.simplefilter("ignore", UserWarning)
            picture = shown.to_image(format=fmt, width=chosen.width, height=chosen.height,
                                     scale=SCALE if fmt == "png" else 1)
    except Exception as error:  # noqa: BLE001 - a sentence, never a traceback
        raise ImagesUnavailable(f"The chart picture could not be made ({error.__class__.__name__}).") from error
    with _lock:
        _made[key] = picture
        while len(_made) > KEPT_PICTURES:
            _made.popitem(last=False)
    return picture


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) read from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
