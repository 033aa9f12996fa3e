"""Step 2, blocking: which pairs of rows are compared at all (``RULES``), and the pass that
scores each blocked pair once (``find_pairs``)."""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from .reading import _NONE, DEFAULT_MAX_BLOCK, DEFAULT_WINDOW, Table, cin_number
from .scoring import auto_threshold, make_scorer


def _rule_keys(table: Table, rule: str) -> array:
    """One blocking key per row, _NONE (-1) for a row the rule does not apply to.

    A key is ``hash`` of a tuple of ints, masked to 62 bits: deterministic (ints and tuples of
    ints are not salted), and a collision only costs one pair more to score.
    """
    kf, kl, birth, commune, cin = (
        table.first_keys,
        table.last_keys,
        table.birth_keys,
        table.commune,
        table.cin,
    )
    mask = 0x3FFFFFFFFFFFFFFF
    if rule == "cin":
        keys = [c if c else _NONE for c in cin]
    elif rule == "phone":
        keys = [p if p else _NONE for p in table.phone]
    elif rule in ("name_birth", "name_commune"):
        # The order-free name key: the two key ids, the smaller first.
        other = birth if rule == "name_birth" else commune
        keys = [
            hash((a, b, o) if a <= b else (b, a, o)) & mask if (a or b) and o else _NONE
            for a, b, o in zip(kf, kl, other, strict=True)
        ]
    elif rule in ("low_birth", "high_birth"):
        # Either name's key (the lower id, or the higher) with the birth date: first and last
        # names swapped with a typo in one of them still meet through the other, often.
        high = rule == "high_birth"
        keys = [
            hash(((a if a > b else b) if high else (a if a < b else b), d, 3 + high)) & mask
            if a and b and d
            else _NONE
            for a, b, d in zip(kf, kl, birth, strict=True)
        ]
    elif rule == "last_birth":  # a typo in the first name
        keys = [
            hash((b, d, 2)) & mask if b and d else _NONE for b, d in zip(kl, birth, strict=True)
        ]
    elif rule == "first_birth":
        keys = [hash((a, d)) & mask if a and d else _NONE for a, d in zip(kf, birth, strict=True)]
    elif rule in CIN_RULES:
        # One typing error (a digit dropped, doubled, added or replaced) leaves intact either
        # the first three digits or the last three; two digits swapped keep the sorted digits.
        # The letters are left out, so a prefix error (AL/LA, a letter dropped) meets too. With
        # a name key, so that three digits do not gather strangers: the order-free pair of both
        # names, or (four digits) the first name's or the last name's alone, so that a typo in
        # the other name still meets.
        part_of, names_of = CIN_RULES[rule]
        keys = []
        for a, b, c in zip(kf, kl, cin, strict=True):
            if names_of == "first":
                names = (a, 0)
            elif names_of == "last":
                names = (b, 0)
            else:
                names = (a, b) if a <= b else (b, a)
            if c and (names[0] or names[1]):
                number, length = cin_number(c)
                text = str(number).zfill(length)
                digits = HALF if names_of == "both" else HALF_ONE_NAME
                if part_of == "head":
                    part = text[:digits]
                elif part_of == "tail":
                    part = text[-digits:]
                else:
                    part = "".join(sorted(text))
                keys.append(hash((*names, RULE_TAG[rule], int(part), len(part))) & mask)
            else:
                keys.append(_NONE)
    elif rule == "last_commune":  # for the weights' sample only (estimate.py): households
        keys = [
            hash((b, c, 1)) & mask if b and c else _NONE for b, c in zip(kl, commune, strict=True)
        ]
    elif rule == "birth_commune":
        keys = [
            hash((d, c)) & mask if d and c else _NONE for d, c in zip(birth, commune, strict=True)
        ]
    else:  # pragma: no cover - a programming error
        raise ValueError(rule)
    return array("q", keys)


# The blocking rules, in order. Birth dates are compared with day and month in order, so a
# swapped day and month still meet. A block larger than max_block is walked in the order of the
# named column with a sliding window, or skipped ("") when its rows share too little for the
# pair to reach the threshold on that ground alone (the other rules still see them).
RULES: tuple[tuple[str, str], ...] = (
    ("cin", "birth"),
    ("phone", "last"),
    ("name_birth", "commune"),
    ("name_commune", ""),
    ("first_birth", "last"),
    ("last_birth", "first"),
    ("low_birth", "commune"),
    ("high_birth", "commune"),
    ("cin_head", "first"),
    ("cin_tail", "first"),
    ("cin_sorted", "first"),
    ("cin_head_first", "last"),
    ("cin_head_last", "first"),
    ("cin_tail_first", "last"),
    ("cin_tail_last", "first"),
    ("birth_commune", "last"),
)
# Rules whose blocks are smaller still: 10 rows sharing a name and a commune are namesakes
# (the name is common), and such a pair proves nothing without the other rules' evidence.
RULE_MAX_BLOCK = {"name_commune": 10}
# Relative cost of each rule (seconds per million rows of the benchmark), to share them out.
RULE_COST = {
    "cin": 1.6,
    "phone": 1.2,
    "name_birth": 1.1,
    "name_commune": 2.3,
    "first_birth": 1.9,
    "last_birth": 1.9,
    "low_birth": 1.0,
    "high_birth": 1.0,
    "cin_head": 1.1,
    "cin_tail": 1.0,
    "cin_head_first": 1.1,
    "cin_head_last": 1.1,
    "cin_tail_first": 1.0,
    "cin_tail_last": 1.0,
    "cin_sorted": 1.0,
    "birth_commune": 2.8,
}


HALF = 3  # digits of the CIN's head and tail keys, with both names
HALF_ONE_NAME = 4  # with one name only (a name alone gathers more rows)
# The CIN rules: (which digits, which name key).
CIN_RULES = {
    "cin_head": ("head", "both"),
    "cin_tail": ("tail", "both"),
    "cin_head_first": ("head", "first"),
    "cin_head_last": ("head", "last"),
    "cin_tail_first": ("tail", "first"),
    "cin_tail_last": ("tail", "last"),
    "cin_sorted": ("sorted", "both"),
}
RULE_TAG = {rule: tag for tag, rule in enumerate(CIN_RULES, start=1)}


def _blocks(keys: array) -> Iterable[list[int]]:
    """The rows sharing a key, for every key held by two rows or more (rows in file order)."""
    first_row: dict[int, int] = {}
    seen = first_row.setdefault
    # Rows whose key an earlier row holds.
    repeats = [i for i, key in enumerate(keys) if key >= 0 and seen(key, i) != i]
    blocks: dict[int, list[int]] = {}
    get = blocks.get
    for i in repeats:
        key = keys[i]
        block = get(key)
        if block is None:
            blocks[key] = [first_row[key], i]
        else:
            block.append(i)
    return blocks.values()


@dataclass
class Pairs:
    left: array = field(default_factory=lambda: array("i"))
    right: array = field(default_factory=lambda: array("i"))
    weight: array = field(default_factory=lambda: array("d"))
    compared: int = 0

    def __len__(self) -> int:
        return len(self.left)


def find_pairs(
    table: Table,
    *,
    threshold: float | None = None,
    max_block: int = DEFAULT_MAX_BLOCK,
    window: int = DEFAULT_WINDOW,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> Pairs:
    """Every blocked pair scoring at least ``threshold`` (``auto_threshold`` by default).

    With ``jobs`` > 1 (and ``os.fork``), the rules are split into that many consecutive runs of
    about equal cost, each scored in a forked process that shares the table copy-on-write; the
    pairs are the same, in the same order, as with one job.
    """
    if threshold is None:
        threshold = auto_threshold(len(table))
    groups = _rule_groups(jobs if hasattr(os, "fork") else 1)
    if len(groups) == 1:
        return _find_pairs(table, range(len(RULES)), threshold, max_block, window, progress)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    children = []
    for group in groups[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(
            target=_find_pairs_child,
            args=(send, table, group, threshold, max_block, window),
            daemon=True,
        )
        child.start()
        send.close()
        children.append((child, receive))
    pairs = _find_pairs(table, groups[0], threshold, max_block, window, progress)
    for child, receive in children:
        try:
            left, right, weight, compared, lines = receive.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"a dedupe worker died (exit code {child.exitcode})") from None
        child.join()
        pairs.left.frombytes(left)
        pairs.right.frombytes(right)
        pairs.weight.frombytes(weight)
        pairs.compared += compared
        for line in lines if progress else ():
            progress(line)
    return pairs


def _rule_groups(jobs: int) -> list[list[int]]:
    """RULES split into ``jobs`` consecutive runs of about equal RULE_COST."""
    jobs = max(1, min(jobs, len(RULES)))
    total = sum(RULE_COST[rule] for rule, _ in RULES)
    groups: list[list[int]] = [[]]
    done = 0.0
    for index, (rule, _) in enumerate(RULES):
        if groups[-1] and done >= total * len(groups) / jobs and len(groups) < jobs:
            groups.append([])
        groups[-1].append(index)
        done += RULE_COST[rule]
    return groups


def _find_pairs_child(send, table, group, threshold, max_block, window) -> None:
    lines: list[str] = []
    pairs = _find_pairs(table, group, threshold, max_block, window, lines.append)
    send.send(
        (
            pairs.left.tobytes(),
            pairs.right.tobytes(),
            pairs.weight.tobytes(),
            pairs.compared,
            lines,
        )
    )
    send.close()


def _window_pairs(block: list[int], window: int) -> Iterator[tuple[int, int]]:
    """Each row with the next ``window`` rows (sorted neighbourhood)."""
    for x, i in enumerate(block):
        for j in block[x + 1 : x + 1 + window]:
            yield i, j


def _find_pairs(
    table: Table,
    rules: Iterable[int],
    threshold: float,
    max_block: int,
    window: int,
    progress: Callable[[str], None] | None,
) -> Pairs:
    """The pairs of the given RULES (by index); the earlier rules only tell what was seen."""
    rules = list(rules)
    score = make_scorer(table, threshold)
    pairs = Pairs()
    done: list[array] = [_rule_keys(table, rule) for rule, _ in RULES[: rules[0]]]
    columns = {"birth": table.birth, "first": table.first, "last": table.last}
    add_left, add_right, add_weight = pairs.left.append, pairs.right.append, pairs.weight.append
    for rule, order_by in (RULES[index] for index in rules):
        started = time.perf_counter()
        keys = _rule_keys(table, rule)
        order = columns.get(order_by)
        limit = RULE_MAX_BLOCK.get(rule, max_block)
        compared = kept = 0
        for block in _blocks(keys):
            if len(block) <= (limit if limit < max_block else max_block):
                candidates: Iterable[tuple[int, int]] = combinations(block, 2)
            elif order is not None:
                block.sort(key=order.__getitem__)
                candidates = _window_pairs(block, window)
            else:
                continue
            for i, j in candidates:
                for earlier in done:  # an earlier rule has scored this pair already
                    key = earlier[i]
                    if key == earlier[j] and key != _NONE:
                        break
                else:
                    compared += 1
                    weight = score(i, j)
                    if weight >= threshold:
                        kept += 1
                        add_left(i if i < j else j)
                        add_right(j if i < j else i)
                        add_weight(weight)
        done.append(keys)
        pairs.compared += compared
        if progress:
            progress(
                f"{rule}: {compared} pairs compared, {kept} kept, "
                f"{time.perf_counter() - started:.1f}s"
            )
    return pairs
