"""Fuzz: rule text of any shape compiles or is refused with a RuleError; a compiled rule
evaluates any values without raising."""

from conftest import tried
from hypothesis import given
from hypothesis import strategies as st
from strategies import json_values

from shopkeeper.engine.rules.compiled import compile_rule
from shopkeeper.engine.rules.names import site_vocabulary
from shopkeeper.engine.rules.tokens import RuleError

SITE = site_vocabulary(traits=["adventurous"], segments=["vip"])
PIECES = ["orders", "total_spend", "segments", "traffic_source", "'vip'", "\"email\"", "1", "2.5", "-3", "1e309", "(", ")", "[", "]",
          ",", "and", "or", "not", "in", "==", "!=", ">=", "<", "+", "-", "*", "/", "%", "true", "false", "trait_adventurous",
          "days_since_last_order", "lifecycle", "'new'", "cart_value", "product_views", "unknown_name", "'", "\\", "é", " "]
NAMES = ["orders", "total_spend", "segments", "traffic_source", "trait_adventurous", "days_since_last_order", "lifecycle",
         "cart_value", "product_views", "unknown_name"]
LITERALS = ["'vip'", "\"email\"", "'new'", "1", "2.5", "-3", "0", "1e309", "true", "false", "''", "'é'"]
atoms = st.sampled_from(NAMES + LITERALS)
expressions = st.recursive(atoms, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["and", "or", "==", "!=", ">=", "<", "+", "-", "*", "/", "%", "in", "not in"]), inner)
      .map(" ".join),
    inner.map(lambda text: f"not {text}"), inner.map(lambda text: f"({text})"),
    st.lists(inner, max_size=4).map(lambda parts: f"[{', '.join(parts)}]"),
), max_leaves=12)
rule_texts = st.one_of(expressions, expressions, st.text(max_size=60), st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
                       st.integers(1, 400).map(lambda depth: "(" * depth + "orders" + ")" * depth))


@given(rule_texts, st.booleans())
def test_a_rule_compiles_or_is_refused_with_a_rule_error(text, checked):
    try:
        rule = compile_rule(text, SITE if checked else None)
    except RuleError as error:
        tried("compile_rule", refused=True)
        assert str(error)
        return
    tried("compile_rule")
    assert isinstance(rule.matches({}), bool)


@given(rule_texts.filter(lambda text: bool(text.strip())), st.dictionaries(st.sampled_from(PIECES[:4] + PIECES[20:30]), json_values))
def test_a_compiled_rule_never_raises_on_any_values(text, values):
    try:
        rule = compile_rule(text)
    except RuleError:
        tried("rule.matches", refused=True)
        return
    tried("rule.matches")
    assert isinstance(rule.matches(values), bool)
