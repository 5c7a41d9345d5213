"""From packed classes to the Policy :class:`FeatureTable`: orbits, behaviour, counts.

With families, Policy classes that are renamings of one another are merged into one
row per orbit (:func:`priorsearch.space.merge.orbit_merge`); the row keeps the
features of the first class met, so its text, signature and deployment objectives name
the same members (``misaligned_i`` ...).  Multiplicities are exact
(:func:`priorsearch.space.orbits.multiplicities`).
"""
from __future__ import annotations

__all__ = ["counts_by_size", "label_classes", "at_family_sizes", "log2_multiplicity_at", "EnumeratedTable"]

import copy

import numpy as np

from .merge import empty_columns, group_sums, orbit_merge, rows_equal_to, unique_rows, unpack_columns
from .orbits import log2_falling, multiplicities, pattern_codes
from .texts import ProgramTexts, SparseTexts
from ..errors import InputError
from ..errors import natural_key
from ..features.layout import TYPE_INDEX, Layout
from ..features.semantics import ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY, Classes, classify_rows, evaluate
from ..lang.templates import TEMPLATE_NAMES, template
from ..lang.typecheck import check
from ..features.table import FeatureTable

_POLICY = TYPE_INDEX["Policy"]


def objective_labels(layout: Layout, fams) -> tuple[list, list]:
    """(label, group) of every objective id: a member's objective is shown by its slot
    (``misaligned_i``) and grouped per family (``misaligned_*``)."""
    labels = list(layout.objectives)
    groups = list(layout.objectives)
    for f in fams:
        for s in range(f.slots):
            for r in range(f.objectives.shape[1]):
                o = int(f.objectives[s, r])
                labels[o] = f.objective_label(r, s)
                groups[o] = f.objective_group(r)
    return labels, groups


class DeployGroups:
    """Each row's deployment objectives as an int code per row (``codes``) into
    ``names``: the groups (a family's members as one ``NAME_*``, natural order) or the
    objectives themselves.  A sequence of str, without a string per row."""

    def __init__(self, codes, names):
        self.names = list(names)
        # int32 codes when the names fit (millions of rows)
        self.codes = np.asarray(codes, dtype=np.int32 if len(self.names) < 2 ** 31 else np.int64)

    def __len__(self):
        return len(self.codes)

    def __getitem__(self, i):
        return self.names[int(self.codes[i])]

    def __iter__(self):
        return (self.names[c] for c in self.codes.tolist())

    def take(self, index) -> "DeployGroups":
        return DeployGroups(self.codes[np.asarray(index, dtype=np.int64)], self.names)


def classify_signatures(sig: np.ndarray, layout: Layout, fams=()):
    """(cls, deploy strings, deploy groups, classes) of every row, as
    :func:`priorsearch.features.semantics.classify` (deploy objectives comma-joined, in
    natural order; groups name a family's members as one ``NAME_*``).  Both deploy
    columns are :class:`DeployGroups`: an int code per row, one string per code."""
    n = sig.shape[0]
    deploy_eps = ~layout.is_train
    # everything below depends on a row's signature only: work on the distinct ones
    first, inverse = unique_rows(np.ascontiguousarray(sig))
    usig = sig[first]
    distinct = classify_rows(usig, layout, with_deploy=False)   # the one definition of the classes
    # class codes (0..3) gathered per row as one byte each: millions of rows
    classes = Classes(distinct.class_code.astype(np.int8)[inverse], None,
                      distinct.behaviour.astype(np.int8)[inverse], distinct.miss[inverse])
    cls = classes.class_code
    deploy = DeployGroups(np.zeros(n, dtype=np.int64), [""])
    groups = DeployGroups(np.zeros(n, dtype=np.int64), [""])
    if n:
        labels, group_of = objective_labels(layout, fams)
        # one integer per signature for its deployment values (digits in base n_obj),
        # numbered in increasing order; the values, hence the strings, follow from it
        n_obj = len(layout.objectives)
        eps = np.flatnonzero(deploy_eps)
        code = np.zeros(len(usig), dtype=np.int64)
        for e in eps:
            code = code * n_obj + usig[:, e]
        uniq, number = np.unique(code, return_inverse=True)
        number = np.asarray(number, dtype=np.int32).reshape(-1)[inverse]
        values = np.zeros((len(uniq), len(eps)), dtype=np.int64)
        rest = np.asarray(uniq, dtype=np.int64).copy()
        for k in range(len(eps) - 1, -1, -1):
            values[:, k] = rest % n_obj
            rest //= n_obj
        names = [",".join(sorted({labels[v] for v in row})) for row in values.tolist()]
        grouped = [",".join(sorted({group_of[v] for v in row}, key=natural_key)) for row in values.tolist()]
        deploy = DeployGroups(number, names)
        group_names = sorted(set(grouped), key=natural_key)
        index = {k: j for j, k in enumerate(group_names)}
        groups = DeployGroups(np.array([index[k] for k in grouped], dtype=np.int32)[number], group_names)
    return cls, deploy, groups, classes


#: rows unpacked per kernel call by :meth:`EnumeratedTable.feature_chunks` (~1.3 MB on the rich DSL)
_UNPACK_BLOCK = 1 << 14


def _lazy_column(name, pair):
    """A FeatureTable column unpacked from the packed keys on first use (with the other
    column of its pair: signature and nodes, or desc and time counts)."""
    slot = "_" + name

    def get(self):
        if self.__dict__.get(slot) is None:
            self._unpack(pair)
        return self.__dict__[slot]

    def put(self, value):
        self.__dict__[slot] = value

    return property(get, put, doc=f"``{name}``, unpacked from the enumeration's keys on first use")


class EnumeratedTable(FeatureTable):
    """The :class:`FeatureTable` of enumerated Policy classes.

    Its feature columns (``signature``, ``desc``, ``nodes``, ``time_counts``) are
    unpacked from the enumeration's packed keys on first use: a search needs only their
    totals, which :meth:`feature_chunks` unpacks a block at a time into one reused
    buffer (on the rich DSL at 13 nodes the full columns are 82 bytes per row, 570 MB).
    Everything else is a :class:`FeatureTable`.
    """

    signature = _lazy_column("signature", 0)
    nodes = _lazy_column("nodes", 0)
    desc = _lazy_column("desc", 1)
    time_counts = _lazy_column("time_counts", 1)

    @property
    def size(self) -> np.ndarray:
        # the enumeration knows each class's size (int8, kept): no nodes needed
        if self.__dict__.get("_size8") is None:
            self.__dict__["_size8"] = self.enumeration.size[self.key_rows]
        return self.__dict__["_size8"].astype(np.int64)

    def _unpack(self, pair):
        enum = self.enumeration
        sig, desc, nodes, counts = unpack_columns(enum.key_layout, enum.keys, self.key_rows,
                                                  sig_nodes=pair == 0, desc_counts=pair == 1)
        if pair == 0:
            self.__dict__["_signature"], self.__dict__["_nodes"] = sig, nodes
        else:
            self.__dict__["_desc"], self.__dict__["_time_counts"] = desc, counts

    def feature_chunks(self, rows: int):
        """As :meth:`FeatureTable.feature_chunks`, unpacking each block from the keys
        (unless the full columns are already unpacked).  The arrays are views of one
        reused buffer: valid until the next block is asked for.

        Parameters
        ----------
        rows : int
            Rows per block.
        """
        if all(self.__dict__.get(k) is not None for k in ("_desc", "_nodes", "_time_counts")):
            yield from super().feature_chunks(rows)
            return
        enum = self.enumeration
        kl = enum.key_layout
        # unpacked in blocks of several chunks: one kernel call per block (a call's
        # argument checks cost ~0.1 ms), small enough to stay in cache
        block = rows * max(1, _UNPACK_BLOCK // rows)
        buffer = empty_columns(kl, min(block, len(self)))
        for start in range(0, len(self), block):
            end = min(len(self), start + block)
            _, desc, nodes, counts = unpack_columns(kl, enum.keys, self.key_rows[start:end], out=buffer)
            for lo in range(start, end, rows):
                hi = min(end, lo + rows)
                yield lo, hi, desc[lo - start:hi - start], nodes[lo - start:hi - start], counts[lo - start:hi - start]


def policy_table(enum) -> FeatureTable:
    """The FeatureTable of the Policy classes of an enumeration (one row per orbit)."""
    rows = np.flatnonzero(enum.type == _POLICY)
    kl = enum.key_layout
    fams = enum.families
    if fams:
        group, first = orbit_merge(enum.keys, rows, enum.nslots, kl.shape, kl.fields, enum.orbit)
        count = group_sums(group, rows, enum.mult, len(first))
        rows = rows[first]
    else:
        count = enum.mult[rows].copy()
    sig = unpack_columns(kl, enum.keys, rows, desc_counts=False)[0]  # the table unpacks it again if asked
    cls, deploy, groups, classes = classify_signatures(sig, enum.layout, fams)
    del sig
    names, labels = _template_rows(enum, rows)
    pattern = enum.nslots[rows]   # int8: slots per family are few
    sizes = tuple(f.size for f in fams)
    exact, log2 = multiplicities(count, pattern, sizes, [f.slots for f in fams])
    table = EnumeratedTable(enum.layout, None, None, None, None, exact, cls, deploy,
                         SparseTexts(len(rows), names), SparseTexts(len(rows), labels),
                         ProgramTexts(enum, rows), classes.behaviour, classes.miss, log2_multiplicity=log2,
                         pattern=pattern if fams else None, pattern_count=count if fams else None,
                         family_sizes=tuple((f.name, f.size) for f in fams))
    table.enumeration = enum
    table.key_rows = rows   # each row's class in the enumeration (its packed key)
    table.max_size = enum.max_size
    table.deploy_groups = groups
    table.families = fams
    return table


def _template_rows(enum, rows, definitions=None):
    """Rows whose class holds a template: {row: name} and {row: label}.

    ``definitions`` default to the packaged templates; a user's (``--programs``) label
    the classes they fall in the same way (see :func:`label_classes`).
    """
    layout = enum.layout
    names, labels = {}, {}
    for definition in (template(n) for n in TEMPLATE_NAMES) if definitions is None else definitions:
        name = definition.name
        try:
            program = check(definition.program, layout.model, "Policy")
        except InputError:
            continue  # the template does not exist in this model
        f = evaluate(program, layout)
        if f.size > enum.max_size:
            continue
        found = rows_equal_to(enum.keys, rows, enum.key_layout.pack(f))
        if len(found) != 1:
            raise AssertionError(f"template {name} falls in {len(found)} enumerated classes")
        row = int(found[0])
        if row not in names:  # two templates in one class: the first one names it
            names[row] = name
            labels[row] = definition.label
    return names, labels


_COLUMNS = ("size", "classes", "programs", "compatible", "aligned", "deceptive", "proxy", "incompatible")
#: class codes summed per size, in the order the counts unpack them
_CLASS_COLUMNS = (ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY)


def label_classes(table: FeatureTable, definitions) -> FeatureTable:
    """Name the classes of an enumerated table that hold the user's ``definitions``
    (their names and labels replace a packaged template's in the same class); programs
    larger than the enumeration's size limit label nothing.

    Parameters
    ----------
    table : FeatureTable
        An enumerated table (:func:`priorsearch.space.enumerate.enumerate_classes`).
    definitions : iterable of Definition
        Checked definitions (:func:`priorsearch.model.resolve.resolve_programs`).

    Returns
    -------
    FeatureTable
        ``table``, its ``names`` and ``labels`` updated.
    """
    enum = table.enumeration
    rows = np.flatnonzero(enum.type == TYPE_INDEX["Policy"])
    names, labels = _template_rows(enum, rows, list(definitions))
    merged_names = {i: v for i, v in enumerate(table.names) if v}
    merged_labels = {i: v for i, v in enumerate(table.labels) if v}
    for row in names:
        merged_names[row], merged_labels[row] = names[row], labels[row] or ""
    table.names = SparseTexts(len(rows), merged_names)
    table.labels = SparseTexts(len(rows), merged_labels)
    return table


def counts_by_size(table: FeatureTable) -> dict:
    """Per size: classes and programs (by multiplicity) — all, compatible, per class.

    The counts are of training compatibility (``cls``), whatever the loss price:
    ``compatible`` = ``aligned`` + ``deceptive`` (+ ``proxy``).  The ``proxy`` column is
    there exactly when the table holds a compatible proxy class (the rule of the masses,
    :func:`priorsearch.scoring.mass.class_log2_mass`), so a model without proxies (the
    post's) keeps its columns.  With families the sums run over (size, class, slot
    pattern) groups of int64 pattern counts, each multiplied once by its exact falling
    factorials.

    Parameters
    ----------
    table : FeatureTable
        An enumerated table (or any table with ``multiplicity``, ``cls`` and sizes).

    Returns
    -------
    dict
        Equal-length lists of exact ints: ``size``, ``classes``, ``programs``,
        ``compatible``, ``aligned``, ``deceptive``, ``proxy`` (only when the table has a
        compatible proxy), ``incompatible``.
    """
    max_size = getattr(table, "max_size", None) or (int(table.size.max()) if len(table) else 0)
    size = np.asarray(table.size)
    cls = np.asarray(table.cls)
    n_cls = len(_CLASS_COLUMNS)   # class codes 0..3: aligned, deceptive, incompatible, proxy
    per = np.zeros((max_size + 1, n_cls), dtype=object)
    per[:] = 0
    if table.pattern_count is not None and len(table):
        # dense (size, class, slot pattern) groups: int64 sums, then exact factors
        pattern = np.asarray(table.pattern)
        slots = pattern.max(axis=0).astype(np.int64)
        n_codes = int(np.prod(slots + 1))
        # in place: millions of rows, one int64 array
        group = size.astype(np.int64)
        group *= n_cls
        group += cls
        group *= n_codes
        group += pattern_codes(pattern, slots)
        sums = np.zeros((max_size + 1) * n_cls * n_codes, dtype=np.int64)
        np.add.at(sums, group, np.asarray(table.pattern_count, dtype=np.int64))
        used = np.flatnonzero(sums)
        codes = used % n_codes
        digits = np.zeros((len(used), len(slots)), dtype=np.int64)
        rest = codes.copy()
        for f in range(len(slots)):
            digits[:, f] = rest % (slots[f] + 1)
            rest //= slots[f] + 1
        exact, _ = multiplicities(sums[used], digits, [k for _, k in table.family_sizes], slots)
        for g, m in zip((used // n_codes).tolist(), exact.tolist()):
            per[g // n_cls, g % n_cls] += int(m)
    elif len(table):
        mult = np.asarray(table.multiplicity)
        for c in range(n_cls):
            at = cls == c
            if mult.dtype == object:
                for n in range(1, max_size + 1):
                    per[n, c] = int(sum(mult[at & (size == n)].tolist()))
            else:
                for n in range(1, max_size + 1):
                    per[n, c] = int(mult[at & (size == n)].sum())
    has_proxy = bool((cls == PROXY).any())
    out = {k: [] for k in _COLUMNS if k != "proxy" or has_proxy}
    classes = np.bincount(size, minlength=max_size + 1) if len(table) else np.zeros(max_size + 1, dtype=np.int64)
    for n in range(1, max_size + 1):
        a, d, i, p = (int(per[n, code]) for code in _CLASS_COLUMNS)
        out["size"].append(n)
        out["classes"].append(int(classes[n]))
        out["programs"].append(a + d + p + i)
        out["compatible"].append(a + d + p)
        out["aligned"].append(a)
        out["deceptive"].append(d)
        if has_proxy:
            out["proxy"].append(p)
        out["incompatible"].append(i)
    return out


def log2_multiplicity_at(table, sizes: dict, rows=None) -> np.ndarray:
    """log2 multiplicities of a table's rows at many points of family counts.

    One enumeration serves them all (see :func:`at_family_sizes` for which counts it
    covers): log2 of the pattern count plus, per family, log2 K(K-1)...(K-m+1) at each
    point, -inf where a class needs more members than K (it does not exist there).

    Parameters
    ----------
    table : FeatureTable
        An enumerated table.
    sizes : dict
        Family name -> a sequence of P whole-number counts (e.g. a K axis).
    rows : int array, optional
        Only these rows (default: all).

    Returns
    -------
    (n, P) float array
    """
    fams = getattr(table, "families", ())
    index = np.arange(len(table)) if rows is None else np.asarray(rows, dtype=np.int64)
    if not fams:
        n_points = len(next(iter(sizes.values()))) if sizes else 1
        return np.repeat(np.asarray(table.log2_multiplicity, dtype=float)[index, None], n_points, axis=1)
    points = {f.name: [int(k) for k in sizes.get(f.name, [f.size])] for f in fams}
    n_points = max(len(v) for v in points.values())
    with np.errstate(divide="ignore"):
        out = np.repeat(np.log2(np.asarray(table.pattern_count, dtype=float)[index])[:, None], n_points, axis=1)
    for k, f in enumerate(fams):
        Ks = points[f.name] * (n_points if len(points[f.name]) == 1 else 1)
        distinct = sorted(set(Ks))
        for K in distinct:
            if K > f.slots and f.slots < f.bound:
                raise InputError(f"family {f.name!r}: the enumeration covers counts up to {f.slots}, not {K}; enumerate again")
        # (M + 1, distinct K) table of log2 falling factorials, looked up per point
        table_lf = np.array([[log2_falling(K, m) for K in distinct] for m in range(f.slots + 1)]).reshape(f.slots + 1, -1)
        position = {K: j for j, K in enumerate(distinct)}
        column = [position[K] for K in Ks]
        out += table_lf[np.asarray(table.pattern[index, k], dtype=np.int64)][:, np.asarray(column, dtype=np.int64)]
    return out


def same_structure(model, table) -> bool:
    """Whether ``model`` has the primitives, families and episodes ``table`` was built for
    (parameter values, family counts included, may differ)."""
    enumerated = getattr(getattr(table, "enumeration", None), "model", None) or table.layout.model
    return (model.base_primitives == enumerated.base_primitives
            and [(f.name, f.template) for f in model.families] == [(f.name, f.template) for f in enumerated.families]
            and [e.name for e in model.episodes] == [e.name for e in enumerated.episodes]
            and model.code == enumerated.code)


def at_family_sizes(table, sizes: dict):
    """``table`` with its multiplicities at other family counts.

    The classes serve every K whose slots they cover: a family enumerated with M slots
    (M = min(K, most members a program holds)) serves any K when M reached the bound,
    else only K <= M.  Outside that, an :class:`InputError` (enumerate again).

    Parameters
    ----------
    table : FeatureTable
        An enumerated table with families.
    sizes : dict
        Family name -> its new count K (a whole number); families not named keep theirs.

    Returns
    -------
    FeatureTable
        The same rows with ``multiplicity``, ``log2_multiplicity`` and ``family_sizes``
        at the new counts.
    """
    if not table.family_sizes or all(sizes.get(n, k) == k for n, k in table.family_sizes):
        return table
    fams = getattr(table, "families", ())
    new = []
    for f in fams:
        K = int(sizes.get(f.name, f.size))
        if K > f.slots and f.slots < f.bound:
            raise InputError(f"family {f.name!r}: the enumeration covers counts up to {f.slots}, not {K}; enumerate again")
        new.append(K)
    exact, log2 = multiplicities(table.pattern_count, table.pattern, new, [f.slots for f in fams])
    # a shallow copy: the rows, their lazily unpacked columns and the enumeration are shared
    out = copy.copy(table)
    out.multiplicity, out.log2_multiplicity = exact, log2
    out.family_sizes = tuple((f.name, k) for f, k in zip(fams, new))
    return out
