"""Evaluation pages compute a lot (a diagnosis reads about twenty queries' worth of facts) from data that rarely
moves between two visits: they keep what they computed until anything is written."""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import get_language

from core.middleware import read_memo
from core.models import AuditEvent
from evaluation.models import Response

T = TypeVar("T")
# A day at most: the stamp already changes with every write; this only bounds what a quiet cache keeps.
CACHE_SECONDS = 24 * 60 * 60


def kept(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, read from the cache while nothing was written since it was kept (see data_stamp), in the
    reader's language (labels are translated when computed)."""
    full_key = f"{key}:{get_language()}:{data_stamp()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


def data_stamp() -> str:
    """Changes whenever anything an evaluation page reads may have changed: every write of the platform goes
    through an audited action (an audit event), except anonymous survey answers, which are counted apart. Two
    index-only queries, read once per read request (a diagnosis page keeps three things)."""
    memo = read_memo.get()
    if memo is not None and "evaluation_stamp" in memo:
        return memo["evaluation_stamp"]
    audit = AuditEvent.objects.aggregate(last=Max("pk"))["last"]
    answers = Response.objects.aggregate(last=Max("pk"))["last"]
    stamp = f"{audit}-{answers}"
    if memo is not None:
        memo["evaluation_stamp"] = stamp
    return stamp
