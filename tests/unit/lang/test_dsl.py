"""The program DSL: parse/print round trips (files in programs/ and random programs),
aliases printing under canonical names, the templates' canonical text, doc comments and
label/c/t metadata."""
from pathlib import Path

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.lang.dsl import Call, If, parse_definitions, parse_program, size
from priorsearch.lang.typecheck import check
from paths import REPO

PROGRAMS = REPO / "programs"

# DESIGN 2.3, "Templates" table, column "program", verbatim
DESIGN_PROGRAMS = {
    "honest": "optimize(base_obj)",
    "simple_deceptive": "combine(simplest_obj)",
    "fast_deceptive": "optimize(if is_deployed then simplest_obj else base_obj)",
    "hybrid": "optimize(if is_deployed then simplest_obj else find_base_obj)",
    "derive_and_pursue": "optimize(find_base_obj)",
}
DESIGN_LABELS = {"honest": "Hfh", "simple_deceptive": "Hsd", "fast_deceptive": "Hfd",
                 "hybrid": "Hhyb", "derive_and_pursue": "Henv"}


# ------------------------------------------------------------------ random programs

NAMES = ("optimize", "base_obj", "a", "x_1", "iff", "thenx", "B2", "_p", "elsewhere")


def random_tree(rng, depth=0):
    """Any syntax tree (not necessarily well typed): calls of 0-3 args and ifs anywhere."""
    if depth < 5 and rng.random() < 0.3:
        return If(random_tree(rng, depth + 1), random_tree(rng, depth + 1), random_tree(rng, depth + 1))
    n_args = 0 if depth >= 5 else int(rng.choice([0, 0, 1, 2, 3]))
    return Call(str(rng.choice(NAMES)), tuple(random_tree(rng, depth + 1) for _ in range(n_args)))


def random_typed(rng, model, want, depth=0):
    """A well-typed program of type ``want`` over ``model``'s primitives and aliases."""
    if depth < 4 and rng.random() < 0.35:
        return If(random_typed(rng, model, "Bool", depth + 1), random_typed(rng, model, want, depth + 1),
                  random_typed(rng, model, want, depth + 1))
    prims = [p for p in model.primitives.values() if p.type == want]
    leaves = [p for p in prims if not p.args]
    prims = leaves if depth >= 4 and leaves else prims
    prim = prims[int(rng.integers(len(prims)))]
    name = str(rng.choice([prim.name, *prim.aliases]))
    return Call(name, tuple(random_typed(rng, model, a, depth + 1) for a in prim.args))


def test_random_trees_round_trip():
    rng = np.random.default_rng(7)
    sizes = []
    for _ in range(500):
        tree = random_tree(rng)
        text = str(tree)
        assert parse_program(text) == tree, text
        assert str(parse_program(text)) == text
        # and inside a definition, with comments and odd spacing around it
        (d,) = parse_definitions(f"# doc\nname  =\n  {text}   # trailing\n")
        assert d.program == tree
        sizes.append(size(tree))
    assert max(sizes) >= 15  # the generator reaches nested programs


def test_random_typed_programs_check_round_trip_and_print_canonically(post_model):
    rng = np.random.default_rng(8)
    aliases = {a for p in post_model.primitives.values() for a in p.aliases}
    for _ in range(300):
        tree = random_typed(rng, post_model, "Policy")
        checked = check(parse_program(str(tree)), post_model)
        text = str(checked)
        assert parse_program(text) == checked
        assert check(parse_program(text), post_model) == checked
        words = set(text.replace("(", " ").replace(")", " ").replace(",", " ").split())
        assert not words & aliases, text
        assert size(checked) == size(tree)


@pytest.mark.parametrize("path", sorted(PROGRAMS.glob("*.prog")), ids=lambda p: p.stem)
def test_program_files_round_trip(path, post_model):
    for d in ps.load_programs(path):
        assert parse_program(str(d.program)) == d.program
        (again,) = parse_definitions(str(d))
        assert (again.name, again.program) == (d.name, d.program)
        canonical = check(d.program, post_model)
        assert parse_program(str(canonical)) == canonical


# ------------------------------------------------------------------ aliases and templates

@pytest.mark.parametrize("text, canonical", [
    ("optimize(get_base_obj)", "optimize(base_obj)"),
    ("optimize(get_proxy_for_base_obj)", "optimize(base_obj)"),
    ("mesaoptimize(base_obj)", "optimize(base_obj)"),
    ("combine(simple_objective)", "combine(simplest_obj)"),
    ("optimize(find)", "optimize(find_base_obj)"),
    ("mesaoptimize(if is_deployed_in_world then simple_objective else get_base_obj)",
     "optimize(if is_deployed then simplest_obj else base_obj)"),
])
def test_aliases_print_under_canonical_names(post_model, text, canonical):
    assert str(check(parse_program(text), post_model)) == canonical


def test_every_alias_of_the_post_model_is_known(post_model):
    expected = {"get_base_obj": "base_obj", "get_proxy_for_base_obj": "base_obj",
                "simple_objective": "simplest_obj", "find": "find_base_obj",
                "is_deployed_in_world": "is_deployed", "mesaoptimize": "optimize"}
    for alias, name in expected.items():
        assert post_model.lookup(alias).name == name


@pytest.mark.parametrize("name", list(DESIGN_PROGRAMS))
def test_template_canonical_text_is_design_2_3(name, post_model):
    definition = ps.template(name)
    assert definition.name == name
    assert definition.label == DESIGN_LABELS[name]
    assert str(check(definition.program, post_model)) == DESIGN_PROGRAMS[name]
    # programs/ holds the same file as the package
    (from_file,) = ps.load_programs(PROGRAMS / f"{name}.prog")
    assert from_file.program == definition.program and from_file.doc == definition.doc


def test_every_template_says_what_it_encodes():
    for name in DESIGN_PROGRAMS:
        doc = ps.template(name).doc
        assert len(doc.splitlines()) >= 2 and ("post" in doc or "comment" in doc), name


# ------------------------------------------------------------------ docs and metadata

def test_doc_comments_and_metadata():
    text = (
        "# not documentation: a blank line follows\n"
        "\n"
        "#   First line of the doc.\n"
        "# Second line: with a colon.\n"
        "# label: Hx\n"
        "# c: C_B + C_M\n"
        "# t:   T_B + T_M  \n"
        "first = optimize(base_obj)\n"
        "second = combine(simplest_obj)  # a trailing comment is not a doc\n"
        "# doc of third\n"
        "third =\n"
        "  optimize(find_base_obj)\n"
    )
    first, second, third = parse_definitions(text, "f.prog")
    assert first.doc == "  First line of the doc.\nSecond line: with a colon."
    assert (first.label, first.meta["c"], first.meta["t"]) == ("Hx", "C_B + C_M", "T_B + T_M")
    assert first.meta["c@"].line == 6 and first.meta["c@"].col == 6  # where the formula starts
    assert second.doc == "" and second.label == "second" and "c" not in second.meta
    assert third.doc == "doc of third"
    assert (first.loc.line, second.loc.line, third.loc.line) == (8, 9, 11)


def test_if_printing_parenthesises_only_where_needed():
    a, b, x, y, z = (Call(n) for n in "abxyz")
    assert str(If(a, x, If(b, y, z))) == "if a then x else if b then y else z"
    assert str(If(If(a, b, a), x, y)) == "if (if a then b else a) then x else y"
    assert str(If(a, If(b, x, y), z)) == "if a then (if b then x else y) else z"
    assert str(Call("f", (If(a, x, y), z))) == "f(if a then x else y, z)"
