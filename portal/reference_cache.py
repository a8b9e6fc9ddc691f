"""Reference data that rarely changes, kept in each process and dropped on every edit.

Categories, destination countries, regions, agencies, the receipt's guide suggestions and the
rendered complaint form are read on every public form request and rarely written. Each process
keeps what it computed in a dict; one generation number in the shared cache (Redis) says whether
that dict is still good. Any edit of the data behind it (post_save / post_delete / m2m signals,
connected by the modules that cache) calls `reference_cache_invalidate()`, which bumps the
generation: this process drops its dict at once, the other workers within
GENERATION_CHECK_SECONDS. Bulk writes that send no signals (QuerySet.update, bulk_create, raw
SQL) must call it themselves, as `load_regions` and the seeders do.

Values must not depend on the request beyond what their key says (language, settings).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "portal:reference-data:generation"
# How long a process trusts the generation it last read: an edit in another worker shows
# there at most this much later. One cache read per this interval per process, not per request.
GENERATION_CHECK_SECONDS = 1.0

logger = logging.getLogger(__name__)

T = TypeVar("T")

_lock = threading.Lock()
_values: dict[Hashable, Any] = {}
_state = {"generation": None, "checked_at": 0.0}


def _generation() -> str:
    now = time.monotonic()
    if _state["generation"] is not None and now - _state["checked_at"] < GENERATION_CHECK_SECONDS:
        return _state["generation"]
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY) or "unshared"
    except Exception:  # a dead cache must not fail the page: keep this process's values
        logger.warning("reference cache: the shared generation could not be read", exc_info=True)
        with _lock:
            _state["checked_at"] = now
        return _state["generation"] or "unshared"
    with _lock:
        if generation != _state["generation"]:
            _values.clear()
            _state["generation"] = generation
        _state["checked_at"] = now
    return generation


def reference_cached(key: Hashable, compute: Callable[[], T]) -> T:
    """The value stored under `key` in this generation, computed once per process."""
    _generation()
    try:
        return _values[key]
    except KeyError:
        pass
    value = compute()
    with _lock:
        _values[key] = value
    return value


def reference_cache_invalidate(**_signal_kwargs) -> None:
    """Drop every cached reference value, here at once and in the other processes soon after.

    Usable directly as a signal receiver. Inside a transaction it drops again after the commit:
    a request that read the old rows between the edit and the commit may have cached them."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def reference_cache_watch(*models) -> None:
    """Invalidate on every save and delete of these models (called from AppConfig.ready)."""
    for model in models:
        label = model._meta.label_lower
        for signal in (post_save, post_delete):
            signal.connect(
                reference_cache_invalidate,
                sender=model,
                weak=False,
                dispatch_uid=f"reference-cache:{signal is post_save}:{label}",
            )


def _bump() -> None:
    generation = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, generation, timeout=None)
    except Exception:  # the other processes catch up within GENERATION_CHECK_SECONDS of its return
        logger.warning("reference cache: the shared generation could not be written", exc_info=True)
    with _lock:
        _values.clear()
        _state["generation"] = generation
        _state["checked_at"] = time.monotonic()
