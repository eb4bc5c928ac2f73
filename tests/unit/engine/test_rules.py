import math
import pathlib
import random
import re

import pytest

from shopkeeper.engine.rules.compiled import Rule, RuleError, compile_rule
from shopkeeper.engine.rules.names import SHOPPER_NAMES, site_vocabulary
from shopkeeper.engine.rules.syntax import MAX_DEPTH, MAX_NODES, MAX_RULE_LENGTH

SITE = site_vocabulary(traits=["adventurous"], segments=["vip", "social_visitors"])
ENGINE = pathlib.Path(__file__).resolve().parents[3] / "py_src" / "shopkeeper" / "engine"


def value(text, **values):
    return compile_rule(text).evaluate(values)


def error(text, names=SITE) -> str:
    with pytest.raises(RuleError) as caught:
        compile_rule(text, names)
    return str(caught.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),               # left to right
    ("24 / 4 / 2", 3.0),
    ("-2 * -3", 6),
    ("- (2 + 3)", -5),
    ("1 + 2 == 3", True),            # arithmetic before comparison
    ("not 1 == 2", True),            # not (1 == 2)
    ("true or false and false", True),   # and before or
    ("(true or false) and false", False),
    ("not true or true", True),      # (not true) or true
    ("not not true", True),
    ("1 < 2 and 2 < 3", True),
    (".5 + 1.", 1.5),
])
def test_precedence_and_arithmetic(text, expected):
    result = value(text)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(("text", "values", "expected"), [
    ("x in ['a', 'b']", {"x": "a"}, True),
    ("x not in ['a', 'b']", {"x": "a"}, False),
    ("x not in ['a', 'b']", {"x": "c"}, True),
    ("'a' not in x", {"x": []}, True),
    ("'a' not in x", {"x": ("a",)}, False),        # tuples are lists too
    ("x not in [1, 2]", {}, False),                # a missing name is in nothing and not-in nothing
    ("1 in x", {"x": [True]}, False),              # true is not 1
    ("true in x", {"x": [1]}, False),
    ("x in [1, 2]", {"x": 2.0}, True),
    ("'ail' in x", {"x": "Trail"}, True),         # text in text: substring
    ("1 in x", {"x": "123"}, False),               # a number is never in text
    ("1 not in x", {"x": "123"}, False),
    ("x in 'abc'", {"x": ["a"]}, False),
])
def test_in_and_not_in(text, values, expected):
    assert compile_rule(text).evaluate(values) is expected


@pytest.mark.parametrize(("text", "values"), [
    ("x == '5'", {"x": 5}),
    ("x != '5'", {"x": 5}),
    ("x < '5'", {"x": 4}),
    ("x >= 5", {"x": "5"}),
    ("x == 1", {"x": True}),
    ("x != 1", {"x": True}),
    ("x > 0", {"x": True}),
    ("x == y", {"x": [1], "y": 1}),
    ("x < y", {"x": [1], "y": [2]}),
    ("x == 0", {"x": None}),
    ("x != 0", {}),
    ("x == x", {"x": {"a": 1}}),                   # a value of no known kind
])
def test_values_of_different_kinds_never_compare(text, values):
    assert compile_rule(text).evaluate(values) is False


def test_text_orders_alphabetically_and_lists_compare_item_by_item():
    assert value("x < 'b'", x="a") is True
    assert value("x == ['a', 1]", x=["a", 1]) is True
    assert value("x == [1]", x=[True]) is False


@pytest.mark.parametrize(("text", "values"), [
    ("x / 0", {"x": 5}),
    ("x / y", {"x": 0, "y": 0.0}),
    ("x + 1", {"x": "1"}),
    ("x * 2", {}),
    ("-x", {"x": "a"}),
    ("x / 3.0", {"x": 10 ** 400}),                  # beyond the float range: no value, no OverflowError
])
def test_arithmetic_that_cannot_be_done_gives_no_value(text, values):
    assert compile_rule(text).evaluate(values) is None


def test_division_by_zero_is_false_in_any_comparison():
    for operator in ("==", "!=", "<", "<=", ">", ">="):
        assert value(f"x / 0 {operator} 1", x=1) is False
    assert compile_rule("x / 0").matches({"x": 1}) is False


def test_truthiness_of_a_bare_value():
    rule = compile_rule("x")
    assert [rule.matches({"x": v}) for v in (0, 0.0, "", [], None, float("nan"), False)] == [False] * 7
    assert [rule.matches({"x": v}) for v in (2, -0.5, "a", [0], True)] == [True] * 5


def test_unknown_names_fail_at_publish_naming_the_closest():
    assert error("order >= 1") == "unknown name 'order' at character 1 (did you mean 'orders'?)"
    assert error("orders >= 1 and Sessions > 2") == "unknown name 'Sessions' at character 17 (did you mean 'sessions'?)"
    assert error("lifecycle == vip") == "unknown name 'vip' at character 14 (put text in quotes: 'vip')"
    assert error("trait_bold > 0.5") == "unknown name 'trait_bold' at character 1 (known trait_ names: trait_adventurous)"


def test_a_plain_set_of_names_and_families():
    names = frozenset({"orders", "quiz_*"})
    assert compile_rule("orders > 1 and quiz_style == 'bold'", names).names == frozenset({"orders", "quiz_style"})
    assert "unknown name 'quiz_'" in error("quiz_ == 'x'", names)
    assert compile_rule("anything_goes > 1").names == frozenset({"anything_goes"})


def test_site_names_cover_the_docs_families_and_defaults():
    rule = compile_rule("quiz_fit == '' and trait_adventurous == 0", SITE)
    assert rule.matches({}) is True
    assert rule.matches({"quiz_fit": "slim"}) is False


@pytest.mark.parametrize(("text", "message"), [
    ("orders == '3'", "cannot compare orders (a number) with '3' (text) at character 1 (write 3 without quotes)"),
    ("new_session == 1", "cannot compare new_session (true/false) with 1 (a number) at character 1"),
    ("lifecycle > 2", "cannot compare lifecycle (text) with 2 (a number) at character 1"),
    ("categories < 'a'", "cannot compare categories (a list) with 'a' (text) at character 1"),
    ("traits > segments", "> compares numbers or text, not a list at character 1"),
    ("lifecycle + 1 > 2", "lifecycle is text, and + works on numbers only at character 1"),
    ("-device == 1", "device is text, and - works on numbers only at character 2"),
    ("'a' in orders", "orders is a number, and in needs a list or text at character 8"),
    ("orders in utm_source", "orders is a number, and in text needs text at character 1"),
    ("orders in ['1', '2']", "orders is a number but the list holds text at character 1"),
    ("lifecycle == 'VIP'", "lifecycle is never 'VIP' at character 14 (did you mean 'vip'?)"),
    ("device in ['mobile', 'phone']", "device is never 'phone' at character 11 (it is one of 'desktop', 'mobile', 'tablet')"),
    ("'gold' in segments", "segments never holds 'gold' at character 1 (it is one of 'social_visitors', 'vip')"),
    ("'adventurus' not in traits", "traits never holds 'adventurus' at character 1 (did you mean 'adventurous'?)"),
])
def test_kinds_and_closed_values_are_checked_at_publish(text, message):
    assert error(text) == message


def test_checks_need_known_kinds_so_any_name_passes_unchecked():
    assert compile_rule("x == y and z in w and v > u").evaluate({"x": "3", "y": 3}) is False
    assert error("x in 5", None) == "5 is a number, and in needs a list or text at character 6"


@pytest.mark.parametrize(("text", "message"), [
    ("orders = 3", "unexpected character '=' at character 8 (write == to compare)"),
    ("a && b", "unexpected '&&' at character 3 (write and)"),
    ("a || b", "unexpected '||' at character 3 (write or)"),
    ("!a", "unexpected character '!' at character 1 (write not or !=)"),
    ("a % 2", "unexpected character '%' at character 3 (% is not supported)"),
    ("2 ** 3", "unexpected '**' at character 3 (** is not supported)"),
    ("1 < x < 3", "comparisons cannot be chained at character 7 (write a < b and b < c)"),
    ("x == 'vip", "text opened with ' is never closed at character 6"),
    ("(x > 1", "'(' is never closed at character 1 (add ')')"),
    ("x in [1, 2", "'[' is never closed at character 6 (add ']')"),
    ("x in [a]", "a list holds numbers, 'text' or true/false, found name 'a' at character 7 (put text in quotes: 'a')"),
    ("x in [(1)]", "a list holds numbers, 'text' or true/false, found '(' at character 7"),
    ("x >", "expected a value, found the end of the rule at character 4"),
    ("x y", "expected and, or, an operator or the end of the rule, found name 'y' at character 3"),
    ("1.2.3", "malformed number '1.2.3' at character 1"),
    ("x == 'é' and é", "unexpected character 'é' at character 14"),
    ("", "rule is empty at character 1 (write a condition such as orders >= 1)"),
])
def test_syntax_errors_say_what_and_where(text, message):
    assert error(text, None) == message


def test_escapes_and_both_quotes():
    assert value(r"x == 'it\'s'", x="it's") is True
    assert value('x == "say \\"hi\\""', x='say "hi"') is True


def test_very_long_rules_are_refused():
    longest = "x == '" + "a" * (MAX_RULE_LENGTH - 7) + "'"
    assert len(longest) == MAX_RULE_LENGTH and compile_rule(longest).names == {"x"}
    too_long = MAX_RULE_LENGTH + 1
    assert error(longest + " ", None) == f"rule is {too_long} characters long, more than the {MAX_RULE_LENGTH} allowed at character {too_long}"


def test_nesting_depth_is_bounded():
    assert compile_rule("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH).evaluate({}) == 1
    too_deep = "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    assert error(too_deep, None) == f"rule nests more than {MAX_DEPTH} levels deep at character {MAX_DEPTH + 1}"
    assert "nests more than" in error("not " * (MAX_DEPTH + 1) + "x", None)
    assert "nests more than" in error("-" * (MAX_DEPTH + 1) + "1", None)


def test_the_largest_rule_allowed_evaluates_within_the_recursion_limit():
    chain = " + ".join(["x"] * (MAX_NODES // 2))
    assert compile_rule(chain).evaluate({"x": 1}) == MAX_NODES // 2


def test_node_count_is_bounded():
    assert error("1 + " * MAX_NODES + "1", None).startswith(f"rule has more than {MAX_NODES} parts")
    assert "more than" in error("x in [" + "1, " * MAX_NODES + "1]", None)


def test_evaluation_never_raises_whatever_the_page_supplies():
    rules = [compile_rule(text) for text in (
        "x + y * 2 > 3 or not z", "x in y and y not in z", "-x / y != z", "x == y", "x < y or x >= 'a'", "x",
    )]
    oddities = [None, 0, -1, 1.5, float("nan"), float("inf"), 10 ** 400, True, "", "abc", [], [1, "a", None],
                ("t",), {"a": 1}, {1, 2}, object(), b"bytes"]
    generator = random.Random(4)
    for _ in range(3000):
        values = {name: generator.choice(oddities) for name in "xyz" if generator.random() < 0.8}
        for rule in rules:
            rule.evaluate(values)
    assert rules[4].evaluate("not a dict") is False


def test_random_text_either_compiles_or_raises_rule_error():
    alphabet = ["x", "y", "1", "2.5", "'a'", '"b', "(", ")", "[", "]", ",", "and", "or", "not", "in", "==", "!=",
                "<", "<=", "+", "-", "*", "/", "=", "!", "&&", "true", " ", "é", "\\", "."]
    generator = random.Random(7)
    compiled = 0
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 12)))
        try:
            rule = compile_rule(text)
        except RuleError as problem:
            assert 0 <= problem.position <= len(text)
        else:
            compiled += 1
            rule.evaluate({"x": 1, "y": "a"})
    assert compiled > 50


def test_rules_are_plain_data():
    assert compile_rule("orders > 1") == compile_rule("orders > 1")
    assert isinstance(compile_rule("orders > 1"), Rule)
    assert compile_rule("orders > 1 and 'vip' in segments", SITE).names == {"orders", "segments"}


def test_no_python_evaluation_anywhere_in_the_engine():
    for path in ENGINE.rglob("*.py"):   # the rule language and everything that calls it
        source = path.read_text()
        assert not re.search(r"(?<!re\.)\b(eval|exec|compile|__import__)\(", source), path.name   # re.compile is a regex


def test_every_docs_name_has_a_kind():
    docs = (ENGINE.parents[2] / "docs" / "site-config.md").read_text()
    table = docs[docs.index("| name | meaning |"):]
    documented = set()
    for row in table.splitlines()[2:]:
        if not row.startswith("|"):
            break
        documented |= set(re.findall(r"`([a-z_<>]+)`", row.split("|")[1]))
    documented = {name.replace("<question>", "*") for name in documented if name != "trait_<name>"}
    assert documented == set(SHOPPER_NAMES)


def test_numbers_keep_python_float_semantics():
    assert math.isclose(value("0.1 + 0.2"), 0.30000000000000004)
    assert value("x * 2", x=2) == 4 and type(value("x * 2", x=2)) is int


def test_comparisons_with_a_constant_agree_with_the_general_path():
    from shopkeeper.engine.rules.values import compare

    samples = [None, 0, 1, 2.5, -1, float("nan"), True, False, "", "a", "b", [], ["a"], {"a": 1}, 10 ** 30]
    for operator in ("==", "!=", "<", "<=", ">", ">="):
        for constant in ("'a'", "''", "1", "2.5", "-1", "0"):
            fast = compile_rule(f"x {operator} {constant}")
            general_constant = compile_rule(constant).evaluate({})
            for sample in samples:
                assert fast.evaluate({"x": sample}) is compare(operator, sample, general_constant), (operator, constant, sample)
