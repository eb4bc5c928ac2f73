"""HTML escaping for text the engine puts into markup.

Our own five replacements instead of the `html` module, whose import drags in
`html.entities` (80 KB of byte code the browser would download for nothing).
"""

_REPLACEMENTS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_TABLE = str.maketrans(_REPLACEMENTS)


def escape_html(text: str) -> str:
    return text.translate(_TABLE)


def safe_url(url: str) -> str:
    """The URL when it is http(s) or relative, else '': never javascript:, data: or the like."""
    text = url.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text.split("/", 1)[0] else ""
    return text if scheme in ("", "http", "https") else ""
