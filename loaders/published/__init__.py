"""DfE's published tables: recognised by their columns, mapped to the catalogue by data, loaded as batches.

``load_published_if_empty(engine)`` is what the app calls at start-up; ``load_published_files`` loads
any published tables a user downloads later. The mapping lives in ``data/published``, the shipped
copies of DfE's files in ``data/dfe``.
"""

from loaders.published.load import (
    SHIPPED_DIR,
    has_published_data,
    import_published,
    load_published_files,
    load_published_if_empty,
    parse_published,
    shipped_files,
)
from loaders.published.parsed import PUBLISHED_SOURCE, PublishedFile
from loaders.published.recognise import Recognised, recognise

__all__ = [
    "PUBLISHED_SOURCE",
    "SHIPPED_DIR",
    "PublishedFile",
    "Recognised",
    "has_published_data",
    "import_published",
    "load_published_files",
    "load_published_if_empty",
    "parse_published",
    "recognise",
    "shipped_files",
]
