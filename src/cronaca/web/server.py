"""The ASGI app `cronaca serve` runs: configured from the environment, so that several
worker processes build the same app."""

from __future__ import annotations

import os

from .app import create_app

app = create_app(os.environ.get("CRONACA_SERVE_STORE", "cronaca.sqlite"),
                 ingest_token=os.environ.get("CRONACA_INGEST_TOKEN") or None)
