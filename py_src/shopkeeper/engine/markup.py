"""HTML escaping for text the engine puts into markup.

Our own five replacements instead of the `html` module, whose import drags in
`html.entities` (80 KB of byte code the browser would download for nothing).
"""

_REPLACEMENTS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_TABLE = str.maketrans(_REPLACEMENTS)


def escape_html(text: str) -> str:
    return text.translate(_TABLE)
