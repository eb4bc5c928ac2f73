import random

import pytest

from shopkeeper.engine.events import PageContext, parse_context
from shopkeeper.engine.rules.names import SHOPPER_NAMES, TRAFFIC_SOURCES
from shopkeeper.engine.visit.referrers import brand_and_subdomains, source_of_host
from shopkeeper.engine.visit.traffic import Visit, classify_visit, device_class, local_time, normalize_locale, visit_values
from shopkeeper.engine.visit.urls import query_params, unquote, url_host

NOW = 1_700_000_000_000   # 2023-11-14 22:13:20 UTC, a Tuesday


@pytest.mark.parametrize(("url", "host"), [
    ("https://WWW.Example.com:8443/path?q=1#top", "www.example.com"),
    ("https://user:pw@shop.example/", "shop.example"),
    ("http://shop.example.", "shop.example"),
    ("https://shop.example?x=1", "shop.example"),
    ("https://[2001:db8::1]:8080/", "[2001:db8::1]"),
    ("android-app://com.google.android.gm/", "com.google.android.gm"),
    ("/relative/path", ""),
    ("not a url", ""),
    ("", ""),
    ("javascript:alert(1)", ""),
])
def test_url_host(url, host):
    assert url_host(url) == host


def test_query_params_decode_like_a_form():
    params = query_params("https://s.example/p?utm_source=a%20b&utm_medium=e+mail&utm_campaign=%C3%BCber&x&utm_source=second#utm_term=no")
    assert params == {"utm_source": "a b", "utm_medium": "e mail", "utm_campaign": "über", "x": ""}
    assert query_params("https://s.example/") == {} and query_params("") == {}


@pytest.mark.parametrize(("raw", "decoded"), [
    ("100%", "100%"), ("%zz", "%zz"), ("%4", "%4"), ("%+1", "% 1"), ("%C3", "\ufffd"), ("a%2Bb", "a+b"), ("%41\ud800", "A\ufffd\ufffd\ufffd"),
])
def test_unquote_never_fails_on_malformed_escapes(raw, decoded):
    assert unquote(raw) == decoded


@pytest.mark.parametrize(("host", "brand"), [
    ("www.google.co.uk", ("google", ("www",))),
    ("mail.google.com", ("google", ("mail",))),
    ("google.de", ("google", ())),
    ("localhost", ("localhost", ())),
])
def test_brand_of_a_host(host, brand):
    assert brand_and_subdomains(host) == brand


@pytest.mark.parametrize(("host", "source"), [
    ("www.google.com.au", "search"), ("images.google.de", "search"), ("uk.search.yahoo.com", "search"),
    ("docs.google.com", "referral"), ("brave.com", "referral"), ("search.brave.com", "search"),
    ("mail.yahoo.co.jp", "email"), ("webmail.example.net", "email"),
    ("m.facebook.com", "social"), ("www.linkedin.com", "social"), ("lnkd.in", "social"), ("www.youtube.com", "social"),
    ("news.ycombinator.com", "referral"), ("com.facebook.katana", "social"),
])
def test_source_of_a_referrer_host(host, source):
    assert source_of_host(host) == source


def test_the_landing_source_comes_from_the_strongest_evidence():
    context = parse_context({"url": "https://shop.example/?utm_medium=email&gclid=1&utm_source=facebook", "referrer": "https://www.google.com/"})
    assert classify_visit(context, NOW).traffic_source == "email"
    context = parse_context({"url": "https://shop.example/?gclid=1&utm_source=facebook", "referrer": "https://www.google.com/"})
    assert classify_visit(context, NOW).traffic_source == "paid"
    context = parse_context({"url": "https://shop.example/?utm_source=facebook", "referrer": "https://www.google.com/"})
    assert classify_visit(context, NOW).traffic_source == "social"


def test_an_unknown_medium_falls_through_to_the_other_evidence():
    context = parse_context({"url": "https://shop.example/?utm_medium=qr-code", "referrer": "https://www.bing.com/"})
    assert classify_visit(context, NOW).traffic_source == "search"


def test_a_subdomain_of_the_shop_is_internal_but_a_lookalike_is_not():
    visit = classify_visit(parse_context({"url": "https://shop.example/", "referrer": "https://checkout.shop.example/pay"}), NOW)
    assert (visit.traffic_source, visit.internal) == ("direct", True)
    visit = classify_visit(parse_context({"url": "https://shop.example/", "referrer": "https://evilshop.example/"}), NOW)
    assert (visit.traffic_source, visit.internal) == ("referral", False)


@pytest.mark.parametrize(("agent", "width", "device"), [
    ("", 0, "desktop"), ("", 767, "mobile"), ("", 768, "tablet"), ("", 1023, "tablet"), ("", 1024, "desktop"),
    ("Mozilla/5.0 (X11; Linux x86_64)", 400, "desktop"),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0)", 1366, "desktop"),
    ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Safari/537.36", 2000, "tablet"),
    ("Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0)", 0, "mobile"),
    ("Mozilla/5.0 (Linux; U; Android 4.0.3; KFTT Build/IML74K) Silk/3.68", 600, "tablet"),
    ("curl/8.0", 0, "desktop"),
])
def test_device_class(agent, width, device):
    assert device_class(agent, width) == device


@pytest.mark.parametrize(("now_ms", "offset", "expected"), [
    (0, 0, (0, 3)),                          # 1970-01-01 00:00 UTC, a Thursday
    (-1, 0, (23, 2)),                        # one millisecond earlier: Wednesday 23:59
    (NOW, 0, (22, 1)),
    (NOW, 120, (0, 2)),                      # past midnight east of UTC
    (NOW, -23 * 60, (8, 1)),                 # clamped to UTC-14:00: 08:13 the same Tuesday
    (float("nan"), 60, (1, 3)),
    (float("inf"), 0, (0, 3)),
    (NOW + 0.999, 0, (22, 1)),
])
def test_local_time_is_plain_arithmetic(now_ms, offset, expected):
    assert local_time(now_ms, offset) == expected


@pytest.mark.parametrize(("raw", "normalized"), [
    ("de", "de"), ("DE-de", "de-DE"), ("en_GB", "en-GB"), ("es-419", "es-419"), ("sr-latn-rs", "sr-Latn-RS"),
    ("", ""), ("e", ""), ("en US", ""), ("ünicode", ""), ("x-" * 20, ""),
])
def test_normalize_locale(raw, normalized):
    assert normalize_locale(raw) == normalized


def test_visit_values_are_the_context_names_rules_use():
    values = visit_values(classify_visit(PageContext(page="home"), NOW))
    assert set(values) <= set(SHOPPER_NAMES)
    assert set(values) == {"traffic_source", "utm_source", "utm_medium", "utm_campaign", "device", "hour", "weekday", "locale", "page"}


def test_classification_never_fails_on_garbage():
    generator = random.Random(3)
    pieces = ["https://", "android-app://", "?", "&", "=", "%", "%C3", "utm_medium", "utm_source", "gclid", "#", "/", ":",
              "@", "[", "]", ".", "google", "mail", "www", "+", "\ud800", "ü", " ", "x"]
    for _ in range(2000):
        text = lambda: "".join(generator.choice(pieces) for _ in range(generator.randint(0, 10)))  # noqa: E731
        context = PageContext(url=text(), referrer=text(), user_agent=text(), locale=text(),
                              viewport_width=generator.randint(-5, 3000), tz_offset_minutes=generator.randint(-10**6, 10**6))
        visit = classify_visit(context, generator.uniform(-1e13, 1e13))
        assert visit.traffic_source in TRAFFIC_SOURCES and 0 <= visit.hour < 24 and 0 <= visit.weekday < 7


def test_defaults_describe_a_direct_desktop_visit():
    assert classify_visit(PageContext(), 0) == Visit(hour=0, weekday=3)
