"""cronaca: news articles to a structured, sourced record of who did what to whom.

The public surface is small on purpose; everything else is an implementation detail.
"""

from __future__ import annotations

from .api import IngestReport, Outcome, extract_paths, extract_text, ingest
from .model import Article, Entity, Event, Place, Quantity
from .pipeline import ArticleError, Config, Pipeline, default_pipeline
from .store import EventFilter, Store, default_store_path

__all__ = [
    "Article",
    "ArticleError",
    "Config",
    "Entity",
    "Event",
    "EventFilter",
    "IngestReport",
    "Outcome",
    "Pipeline",
    "Place",
    "Quantity",
    "Store",
    "default_pipeline",
    "default_store_path",
    "extract_paths",
    "extract_text",
    "ingest",
]

__version__ = "0.1.0"
