"""The visit a page belongs to: where the shopper came from, on what device, at what local time.

Classified from the page context alone (URL, referrer, user agent, viewport, time zone
offset), with the rule names of docs/site-config.md as field names. Pure string work:
no `urllib.parse` (not in the browser runtime), no `zoneinfo` (the page supplies its
offset). Order of evidence for the source: utm_medium, then ad click ids, then
utm_source, then the referrer's host, else direct.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.events import PageContext
from shopkeeper.engine.remembered import remembered
from shopkeeper.engine.visit.referrers import source_of_host, source_of_name
from shopkeeper.engine.visit.urls import query_params, url_host

__all__ = ["Visit", "classify_visit", "device_class", "local_time", "normalize_locale", "visit_values"]

DAY_MS, HOUR_MS = 86_400_000, 3_600_000
EPOCH_WEEKDAY = 3                      # 1970-01-01 was a Thursday; Monday is 0
MAX_OFFSET_MINUTES = 14 * 60           # no time zone is further from UTC (Kiribati, UTC+14)
PAID_MEDIUMS = frozenset({"cpc", "ppc", "cpm", "cpv", "cpa", "display", "banner", "retargeting", "remarketing"})
EMAIL_MEDIUMS = frozenset({"email", "e-mail", "e_mail", "newsletter"})
REFERRAL_MEDIUMS = frozenset({"referral", "affiliate", "affiliates", "partner"})
PAID_CLICK_IDS = ("gclid", "gbraid", "wbraid", "dclid", "msclkid")
SOCIAL_CLICK_IDS = ("fbclid", "igshid")   # added to every Meta outbound link, paid or not
TABLET_MARKERS = ("ipad", "tablet", "kindle", "silk/", "playbook")
MOBILE_MARKERS = ("mobi", "iphone", "ipod", "android", "opera mini", "blackberry", "windows phone")
DESKTOP_MARKERS = ("windows nt", "macintosh", "x11", "cros")
MOBILE_MAX_WIDTH, TABLET_MAX_WIDTH = 767, 1023


@dataclass(frozen=True)
class Visit:
    traffic_source: str = "direct"   # search, social, email, paid, direct, referral
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer_host: str = ""
    internal: bool = False           # referred by this site: a page within a visit, not its landing
    device: str = "desktop"          # mobile, tablet, desktop
    hour: int = 0                    # local time
    weekday: int = 0                 # 0 = Monday
    locale: str = ""
    page: str = ""


def classify_visit(context: PageContext, now_ms: float) -> Visit:
    source, utm_source, utm_medium, utm_campaign, referrer_host, internal = arrival(context.url, context.referrer)
    hour, weekday = local_time(now_ms, context.tz_offset_minutes)
    return Visit(
        traffic_source=source, utm_source=utm_source, utm_medium=utm_medium, utm_campaign=utm_campaign,
        referrer_host=referrer_host, internal=internal, device=device_class(context.user_agent, context.viewport_width),
        hour=hour, weekday=weekday, locale=normalize_locale(context.locale), page=context.page,
    )


@remembered(maxsize=256)
def arrival(url: str, referrer: str) -> tuple[str, str, str, str, str, bool]:
    """(source, utm source, medium and campaign, referrer host, internal) of a page's URL and
    referrer: the same pair comes back on every page of a visit, parsed once."""
    params = query_params(url)
    utm = {key: params.get(f"utm_{key}", "")[:200].strip() for key in ("source", "medium", "campaign")}
    source, internal, referrer_host = traffic_source(utm["medium"], utm["source"], params, url, referrer)
    return source, utm["source"], utm["medium"], utm["campaign"], referrer_host, internal


def traffic_source(medium: str, source: str, params: dict[str, str], url: str, referrer: str) -> tuple[str, bool, str]:
    """(source, internal, referrer host)."""
    referrer_host = url_host(referrer)
    by_medium = source_of_medium(medium.lower())
    if by_medium:
        return by_medium, False, referrer_host
    if any(params.get(key) for key in PAID_CLICK_IDS):
        return "paid", False, referrer_host
    if any(params.get(key) for key in SOCIAL_CLICK_IDS):
        return "social", False, referrer_host
    if source:
        return source_of_name(source.lower()), False, referrer_host
    if not referrer_host:
        return "direct", False, ""
    if same_site(referrer_host, url_host(url)):
        return "direct", True, referrer_host
    return source_of_host(referrer_host), False, referrer_host


def source_of_medium(medium: str) -> str:
    if medium in PAID_MEDIUMS or medium.startswith("paid"):
        return "paid"
    if medium in EMAIL_MEDIUMS:
        return "email"
    if medium.startswith("social") or medium == "sm":
        return "social"
    if medium == "organic":
        return "search"
    return "referral" if medium in REFERRAL_MEDIUMS else ""


def same_site(host: str, other: str) -> bool:
    """shop.example, www.shop.example and checkout.shop.example are one site."""
    host, other = host.removeprefix("www."), other.removeprefix("www.")
    return bool(other) and (host == other or host.endswith("." + other) or other.endswith("." + host))


@remembered(maxsize=64)
def device_class(user_agent: str, viewport_width: int) -> str:
    """From user agent markers when there are any, else from the viewport width in CSS pixels.

    iPadOS Safari sends a Macintosh user agent and is classed desktop, as Apple intends."""
    agent = user_agent.lower()
    if any(marker in agent for marker in TABLET_MARKERS) or ("android" in agent and "mobi" not in agent):
        return "tablet"
    if any(marker in agent for marker in MOBILE_MARKERS):
        return "mobile"
    if any(marker in agent for marker in DESKTOP_MARKERS) or viewport_width <= 0:
        return "desktop"
    return "mobile" if viewport_width <= MOBILE_MAX_WIDTH else "tablet" if viewport_width <= TABLET_MAX_WIDTH else "desktop"


def local_time(now_ms: float, tz_offset_minutes: int) -> tuple[int, int]:
    """(hour 0..23, weekday 0 = Monday) at `now_ms` in a zone `tz_offset_minutes` east of UTC."""
    if now_ms - now_ms != 0:          # NaN or infinite: a broken clock, not a reason to fail
        now_ms = 0.0
    offset = max(-MAX_OFFSET_MINUTES, min(MAX_OFFSET_MINUTES, tz_offset_minutes))
    local_ms = int(now_ms // 1) + offset * 60_000
    days, within = divmod(local_ms, DAY_MS)
    return within // HOUR_MS, (days + EPOCH_WEEKDAY) % 7


@remembered(maxsize=64)
def normalize_locale(locale: str) -> str:
    """'en_us' -> 'en-US', 'zh-hant-tw' -> 'zh-Hant-TW'; '' for anything not shaped like a tag."""
    parts = locale.strip().replace("_", "-").split("-")
    if not all(part.isascii() and part.isalnum() for part in parts) or not 2 <= len(parts[0]) <= 3:
        return ""
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        shaped.append(part.title() if len(part) == 4 else part.upper() if len(part) in (2, 3) else part.lower())
    return "-".join(shaped)


def visit_values(visit: Visit) -> dict:
    """The page-context names rules may use (all but new_session, which needs the history)."""
    values = dict(vars(visit))
    del values["referrer_host"], values["internal"]
    return values
