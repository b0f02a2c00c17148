"""The WeasyPrint font configuration every printed document (plans, agendas) renders with: one per thread.

A new FontConfiguration per document (WeasyPrint's default) keeps about 0.3 MB of native Pango font-map memory
per render that is never returned (bench_pdf: +80 MB over 300 renders), and a long-running PDF worker renders
thousands; reusing one keeps RSS flat. Pango font maps are not shared between threads, hence one per thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

_per_thread = threading.local()


def font_config() -> FontConfiguration:
    if not hasattr(_per_thread, "font_config"):
        from weasyprint.text.fonts import FontConfiguration  # on the first print, not at start-up

        _per_thread.font_config = FontConfiguration()
    return _per_thread.font_config
