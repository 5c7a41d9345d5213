"""Family-count axes (``K=1:1e30:31:log``): the one enumeration that serves every point,
the family counts and multiplicities per point, and which templates exist where.

A family of K interchangeable members is enumerated once with member slots for the
largest count on the axis (:func:`covering_model`); a class using m distinct members
has multiplicity K(K-1)...(K-m+1) x its pattern count at a point, 0 when K < m — then it
does not exist there: it neither wins nor carries mass.  Costs that depend on K (the
prefix code's log2 of the productions, a cost expression) are evaluated per point by
:meth:`priorsearch.features.layout.Layout.cost_arrays`.
"""
from __future__ import annotations

__all__ = ["covering_model", "family_sizes_at", "members_named", "log2_multiplicity_points", "model_value",
           "check_templates_depend_on_count"]

import numpy as np

from ..errors import InputError
from ..space.classes import log2_multiplicity_at
from ..space.orbits import member_bound
from .axes import family_counts


def model_value(model, axis):
    """The model's own value of a cost axis, for the metadata's ``model_point``.

    Parameters
    ----------
    model : CostModel
        The model (its exact parameters keep a count like 10^30 exact).
    axis : Axis
        A cost axis.

    Returns
    -------
    int, float or None
        An exact int on a count axis; None for a non-finite value.
    """
    if axis.is_count:
        exact = model.exact_parameters.get(axis.name)
        value = exact if exact is not None else model.parameters[axis.name]
        return int(value) if float(value).is_integer() else float(value)
    value = float(model.parameters[axis.name])
    return value if np.isfinite(value) else None


def check_templates_depend_on_count(table, named, count_axes):
    """Templates are single programs: a count axis changes them only through the costs
    (the prefix code's log2 of the productions, or a cost expression using K) or where
    a template names a member above some K.  Otherwise every point is the same: an error
    pointing at the enumeration, where K multiplies the classes.

    Parameters
    ----------
    table : FeatureTable
        The templates table (built at the covering counts).
    named : dict
        :func:`members_named` of its rows.
    count_axes : list of Axis
        The diagram's count axes.
    """
    for a in count_axes:
        costs = table.layout.cost_arrays({a.name: np.array([a.values[0], a.values[-1]])})
        varies = any(arr is not None and not np.array_equal(arr[0], arr[-1]) for arr in
                     (costs.item_c, costs.node_c, costs.time_unit, costs.train_weight, costs.loss_weight))
        smallest = min(a.whole)
        if varies or any(int(named[f].max(initial=0)) > smallest for f in a.families):
            return
    names = ", ".join(a.name for a in count_axes)
    raise InputError(f"on --space templates nothing depends on {names}: the templates name no member above "
                     f"{names} = {min(count_axes[0].whole)} and their costs do not use {names} (under code = "
                     f"{table.layout.model.code!r}); sweep {names} with --space enumerate, where it multiplies the classes")


def covering_model(model, count_axes, max_size=None):
    """The model to enumerate: on a count axis, at the value with the most members (one
    enumeration covers every smaller count, :func:`priorsearch.space.classes.log2_multiplicity_at`).

    Parameters
    ----------
    model : CostModel
        The diagram's model.
    count_axes : list of Axis
        Its count axes (none: ``model`` itself).
    max_size : int, optional
        The enumeration's size limit: a family needs no more members than a program of
        that size can use (:func:`priorsearch.space.orbits.member_bound`).  None (the
        templates): a family needs its largest count on the axis.

    Returns
    -------
    CostModel
    """
    if not count_axes:
        return model
    bound = member_bound(model, max_size, every_family=True) if max_size is not None else {}
    settings = {}
    for a in count_axes:
        sizes = [family_counts(model, a.name, k) for k in a.whole]
        top = {name: max(s[name] for s in sizes) for name in sizes[0]}
        need = {name: min(k, bound.get(name, k)) for name, k in top.items()}
        # the value with the most members (the first of equals) among those that give
        # every family the axis counts as many members as any value needs; families
        # whose counts move in opposite directions may leave none
        covers = sorted((i for i, s in enumerate(sizes) if all(s[n] >= need[n] for n in need)),
                        key=lambda i: (tuple(sizes[i].values()), -i), reverse=True)
        if not covers:
            where = ", ".join(f"{name} at {a.name} = {a.whole[next(i for i, s in enumerate(sizes) if s[name] == k)]}"
                              for name, k in top.items())
            raise InputError(f"{a.spec}: the families counted by {a.name} need their most members at different values "
                             f"({where}), so no one enumeration covers the axis; sweep {a.name} over a range where "
                             f"their counts rise together, or run each value with --set {a.name}=...")
        settings[a.name] = a.whole[covers[0]]
    return model.with_params(**settings)


def family_sizes_at(model, at, ax_x, ax_y):
    """Per cost point, the member count of every family a count axis sets (exact ints),
    or None without a count axis.

    Parameters
    ----------
    model : CostModel
        Supplies the count expressions and the other parameters.
    at : dict
        Parameter name -> grid position (into the axis's values) of each cost point, in
        the order of :func:`priorsearch.phase.sweep.cost_points`.
    ax_x, ax_y : Axis
        The diagram's axes.

    Returns
    -------
    dict or None
        Family name -> list of exact counts, one per cost point.
    """
    count_axes = [a for a in (ax_x, ax_y) if a.is_count]
    if not count_axes:
        return None
    n_points = len(next(iter(at.values())))
    cache, sizes = {}, {}
    for j in range(n_points):
        key = tuple(a.whole[int(at[a.name][j])] if a.name in at else None for a in count_axes)
        if key not in cache:
            counts = {}
            for a, k in zip(count_axes, key):
                counts.update(family_counts(model, a.name, k))
            cache[key] = counts
        for name, k in cache[key].items():
            sizes.setdefault(name, []).append(k)
    return sizes


def members_named(definitions, model) -> dict:
    """Per family, the highest member number each program names (0: none): a template
    naming ``misaligned_7`` exists only where the family has at least 7 members.

    Parameters
    ----------
    definitions : sequence of Definition
        Checked programs (aliases resolved), one per row of the templates table.
    model : CostModel
        Supplies which primitives are family members.

    Returns
    -------
    dict
        Family name -> (n,) object array of exact ints.
    """
    # exact Python ints (object arrays): a template may name member 10^25 of K = 10^30
    out = {f.name: np.array([0] * len(definitions), dtype=object) for f in model.families}
    families = {f.name: f for f in model.families}
    for row, definition in enumerate(definitions):
        stack = [definition.program]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            prim = model.lookup(node.name) if hasattr(node, "name") else None
            if prim is not None and prim.family is not None:
                number = families[prim.family].member_number(prim.name)
                out[prim.family][row] = max(out[prim.family][row], number)
    return out


def log2_multiplicity_points(table, sizes, rows, named=None) -> np.ndarray:
    """log2 multiplicities of ``rows`` at points of family counts, -inf where a class
    (or a template) does not exist at a point's count.

    Parameters
    ----------
    table : FeatureTable
        The program space (enumerated, or templates when ``named`` is given).
    sizes : dict
        Family name -> a sequence of P exact counts.
    rows : int array
        The rows wanted.
    named : dict, optional
        Templates: :func:`members_named` of the table's rows.  A template is one program
        (its multiplicity does not change) that exists where every member it names does.

    Returns
    -------
    (len(rows), P) float array
    """
    if named is None:
        return log2_multiplicity_at(table, sizes, rows)
    rows = np.asarray(rows, dtype=np.int64)
    n_points = len(next(iter(sizes.values())))
    out = np.repeat(np.asarray(table.log2_multiplicity, dtype=float)[rows, None], n_points, axis=1)
    for name, counts in sizes.items():
        need = named[name][rows]
        # exact comparison: counts and member numbers may pass int64 (2^100)
        exact = np.array([int(k) for k in counts] + [None], dtype=object)[:-1]
        out[(need[:, None] > exact[None, :]).astype(bool)] = -np.inf
    return out
