"""ASGI entry point for external servers: ``uvicorn server.asgi:app``.

The only module with an import-time side effect; tests and the CLI call ``create_app``.
Warm picture GETs are answered by ``server.fast_tiles`` in front of the app.
"""

from __future__ import annotations

import os

from server.app import create_app
from server.fast_tiles import wrap
from server.gc_tuning import calm_gc
from server.malloc_tuning import keep_freed_memory
from server.settings import load_settings

app = wrap(create_app(load_settings(os.environ)))
# Each worker of ``lamina serve --workers N`` loads this module: tune its collector and its
# allocator as the single-process server does.
calm_gc()
keep_freed_memory()
