"""Queries a hot path runs on every request, compiled to SQL once per process.

Django compiles a queryset to SQL each time it is evaluated. For a query with many joins (the API
token with its user, its limit and its holder's roles) that costs the application more CPU than the
database spends answering it. A `Prepared` query is built once with marker values where its
parameters go, compiled once per database connection and query shape, then run with each call's
values put where the markers were. Rows come back as the queryset's model instances, with their
select_related objects and annotations, exactly as the queryset would give them.

Only the values given as markers may vary between calls: anything else the query reads when it is
built (a setting, the clock) must be passed as a marker or be part of `shape`.
"""

from __future__ import annotations

import copy
import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str, markers: dict):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        ops = connections[alias].ops
        forms = {name: _adapt(ops, value) for name, value in markers.items()}
        self.slots: list[tuple[str | None, object]] = []
        for param in params:
            name = next((n for n, form in forms.items() if _same(param, form)), None)
            self.slots.append((name, param))
        missing = set(markers) - {name for name, _param in self.slots}
        if missing:  # a marker the SQL does not carry as a plain parameter: refuse to guess
            raise ValueError(f"markers not found in the compiled query: {sorted(missing)}")

    def rows(self, alias: str, values: dict) -> list:
        ops = connections[alias].ops
        adapted = {name: _adapt(ops, value) for name, value in values.items()}
        params = tuple(adapted[name] if name else param for name, param in self.slots)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[alias]  # this thread's (a compiler keeps its own)
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        return list(ModelIterable(_Source(alias, self.queryset.model, compiler)))


class _Source:
    """What ModelIterable reads of a queryset (copying a queryset would evaluate it)."""

    def __init__(self, alias: str, model, compiler):
        self.db, self.model, self.query = alias, model, self
        self._known_related_objects: dict = {}
        self._compiler = compiler

    def get_compiler(self, *args, **kwargs):
        return self._compiler


def _adapt(ops, value):
    """A value as the compiler puts it among the parameters (SQLite takes dates as text)."""
    if isinstance(value, datetime.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return ops.adapt_datefield_value(value)
    return value


def _same(param, form) -> bool:
    return type(param) is type(form) and param == form


class Prepared:
    """`build(*args, **markers)` returns the queryset; `shape(*args)` names everything else that
    decides its SQL (a setting, the caller's grants), and compiled queries are kept per shape (the
    `size` most recently used). Call with `args` and one value per marker."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        shape: Callable[..., Hashable] = lambda *args: None,
        size: int = 512,
        **markers,
    ):
        self._build, self._shape, self._size, self._markers = build, shape, size, markers
        self._compiled: OrderedDict[tuple, _Compiled] = OrderedDict()
        self._model = None
        self._lock = threading.Lock()

    def __call__(self, *args, **values) -> list:
        if set(values) != set(self._markers):
            raise TypeError(f"expected values for {sorted(self._markers)}")
        if self._model is None:
            self._model = self._build(*args, **self._markers).model
        alias = router.db_for_read(self._model)
        key = (alias, connections[alias].vendor, self._shape(*args))
        with self._lock:  # threads of one process (a development server) share the cache
            found = key in self._compiled
            compiled = self._compiled.get(key)
            if found:
                self._compiled.move_to_end(key)
        if not found:
            try:
                compiled = _Compiled(self._build(*args, **self._markers), alias, self._markers)
            except EmptyResultSet:  # a queryset that can hold nothing (none(), an empty gate)
                compiled = None
            with self._lock:
                self._compiled[key] = compiled
                while len(self._compiled) > self._size:
                    self._compiled.popitem(last=False)
        return compiled.rows(alias, values) if compiled is not None else []
