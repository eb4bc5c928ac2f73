"""URLs the engine puts into decisions: only http(s) and relative ones reach the page.

Text values are escaped by Jinja2's autoescaping (templates) or set with textContent by
the loader (default shelf cards); this module guards what neither can: link targets.
"""


def safe_url(url: str) -> str:
    """The URL when it is http(s) or relative, else '': never javascript:, data: or the like."""
    text = url.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text.split("/", 1)[0] else ""
    return text if scheme in ("", "http", "https") else ""
