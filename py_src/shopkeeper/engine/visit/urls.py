"""The two things the engine reads from a URL: its host and its query parameters.

By hand rather than with `urllib.parse`, which the browser runtime does not ship
(every stdlib module the engine imports is bytes a shopper downloads).
"""

from __future__ import annotations

HEX = frozenset("0123456789abcdefABCDEF")
MAX_PARAMS = 100


def url_host(url: str) -> str:
    """'www.example.com' from 'https://User@WWW.Example.com:8443/path?q'; '' for relative URLs.

    Also the package name of an `android-app://com.google.android.gm/` referrer."""
    scheme, separator, rest = url.strip().partition("://")
    if not separator or not scheme or not all(char.isalnum() or char in "+-." for char in scheme):
        return ""
    authority = rest
    for stop in "/?#\\":
        authority = authority.split(stop, 1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0].rstrip(".").lower()


def query_params(url: str) -> dict[str, str]:
    """The query string's parameters, percent-decoded; the first value wins when repeated."""
    query = url.split("#", 1)[0].partition("?")[2]
    params: dict[str, str] = {}
    for pair in query.split("&")[:MAX_PARAMS]:
        key, _, value = pair.partition("=")
        key = unquote(key)
        if key and key not in params:
            params[key] = unquote(value)
    return params


def unquote(text: str) -> str:
    """Form decoding: '+' is a space and %XX a byte of UTF-8; malformed escapes stay as typed."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    data, i = bytearray(), 0
    while i < len(text):
        if text[i] == "%" and text[i + 1:i + 2] in HEX and text[i + 2:i + 3] in HEX:
            data.append(int(text[i + 1:i + 3], 16))
            i += 3
        else:
            data += text[i].encode("utf-8", "surrogatepass")
            i += 1
    return data.decode("utf-8", "replace")
