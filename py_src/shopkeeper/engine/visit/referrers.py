"""Which kind of site a referrer host or a utm_source name is: search, social, email or referral.

Matched on the brand label of a host ("google" in www.google.co.uk), so every country
domain of a search engine or network counts without a list of all of them; webmail
hosts are email even when they belong to a search brand (mail.google.com).
"""

from __future__ import annotations

SEARCH_BRANDS = frozenset({
    "google", "bing", "yahoo", "duckduckgo", "yandex", "baidu", "ecosia", "qwant", "startpage",
    "naver", "seznam", "ask", "aol", "sogou", "so", "daum", "kagi", "mojeek", "perplexity", "brave",
})
SEARCH_ONLY_ON = {"brave": "search"}   # brave.com is the browser's site; search.brave.com the engine
SEARCH_SUBDOMAINS = frozenset({"", "www", "m", "search", "images", "html", "lite", "cn", "uk", "de", "fr"})
SOCIAL_BRANDS = frozenset({
    "facebook", "instagram", "twitter", "linkedin", "pinterest", "reddit", "tiktok", "youtube", "snapchat",
    "tumblr", "threads", "bsky", "mastodon", "vk", "weibo", "quora", "discord", "telegram", "whatsapp",
    "messenger", "xing", "line", "wechat",
})
SOCIAL_HOSTS = frozenset({"t.co", "x.com", "lnkd.in", "t.me", "youtu.be", "fb.me", "pin.it", "wa.me", "redd.it"})
EMAIL_HOSTS = frozenset({"outlook.live.com", "outlook.office.com", "outlook.office365.com", "mail.proton.me"})
EMAIL_NAMES = frozenset({"email", "e-mail", "newsletter", "mailchimp", "klaviyo", "brevo", "sendinblue", "omnisend"})
APP_SOURCES = {   # android-app://PACKAGE/ referrers from Android apps
    "com.google.android.gm": "email",
    "com.google.android.googlequicksearchbox": "search",
    "com.facebook.katana": "social", "com.facebook.orca": "social", "com.instagram.android": "social",
    "com.twitter.android": "social", "com.linkedin.android": "social", "com.pinterest": "social",
    "com.reddit.frontpage": "social", "com.zhiliaoapp.musically": "social", "org.telegram.messenger": "social",
}
GENERIC_SUFFIXES = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"})


def brand_and_subdomains(host: str) -> tuple[str, tuple[str, ...]]:
    """('google', ('www',)) for www.google.co.uk: the label before the public suffix.

    A heuristic rather than the Public Suffix List (200 KB): drop the last label, and
    one more when it is a generic second level such as co.uk or com.au."""
    labels = host.split(".")
    if len(labels) < 2:
        return host, ()
    labels.pop()
    if len(labels) >= 2 and labels[-1] in GENERIC_SUFFIXES:
        labels.pop()
    return labels[-1], tuple(labels[:-1])


def source_of_host(host: str) -> str:
    if host in APP_SOURCES:
        return APP_SOURCES[host]
    if host in EMAIL_HOSTS:
        return "email"
    if host in SOCIAL_HOSTS or host.removeprefix("www.") in SOCIAL_HOSTS:
        return "social"
    brand, subdomains = brand_and_subdomains(host)
    if "mail" in subdomains or "webmail" in subdomains:
        return "email"
    if brand in SOCIAL_BRANDS:
        return "social"
    if brand in SEARCH_ONLY_ON:
        return "search" if SEARCH_ONLY_ON[brand] in subdomains else "referral"
    if brand in SEARCH_BRANDS and (not subdomains or "search" in subdomains or subdomains[-1] in SEARCH_SUBDOMAINS):
        return "search"
    return "referral"


def source_of_name(name: str) -> str:
    """A utm_source without a utm_medium: 'facebook' is social, 'google' search, else referral."""
    if name in EMAIL_NAMES:
        return "email"
    brand = brand_and_subdomains(name)[0] if "." in name else name
    if brand in SOCIAL_BRANDS or name in SOCIAL_HOSTS:
        return "social"
    if brand in SEARCH_BRANDS:
        return "search"
    return "referral"
