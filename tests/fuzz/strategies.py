"""Generated inputs shared by the fuzz targets: JSON values as a browser store or a page
could hold them, leaning towards the shapes our parsers look for."""

from __future__ import annotations

from hypothesis import strategies as st

from shopkeeper.contract import CONTRACT, EVENT_TYPES, TEXT_LIMITS

FIELDS = sorted(set(TEXT_LIMITS) | set(CONTRACT["events"]["numbers"]) | {"quantity", "items", "discount", "ts", "type"})
numbers = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True, allow_infinity=True))
texts = st.one_of(st.text(max_size=40), st.text(alphabet="<>\"'&/ab", min_size=1, max_size=3000))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(texts, inner, max_size=6)),
                           max_leaves=25)
items = st.lists(st.one_of(json_values, st.fixed_dictionaries({"product": json_values, "quantity": json_values, "price": json_values})),
                 max_size=5)
records = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(sorted(EVENT_TYPES)), json_values), "ts": st.one_of(numbers, json_values)},
        optional={field: st.one_of(json_values, items) if field == "items" else json_values for field in FIELDS if field not in ("type", "ts")},
    ),
)
contexts = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={
        key: json_values for key in ["page", "product", "category", "url", "referrer", "user_agent", "viewport_width",
                                     "tz_offset_minutes", "locale", "visitor_id", "slots", "placements", "listing"]
    }),
)
