"""Which column holds which field: the merchant's names first, then names we recognise.

Exports name the same thing many ways (`SessionId`, `session_id`, `g:id`), so known
names are compared with case, punctuation and a Merchant Center `g:` prefix ignored. A
name the merchant gives must exist exactly (or up to that normalisation): a typo is an
error, never a silent fallback to another column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike

from shopkeeper.publish.errors import InputError

__all__ = ["missing_column", "normalise", "require", "resolve_columns"]


def normalise(name: str) -> str:
    """'Session_ID' -> 'sessionid', 'g:image_link' -> 'imagelink'."""
    name = name.strip().lower()
    if name.startswith("g:"):
        name = name[2:]
    return "".join(ch for ch in name if ch.isalnum())


def resolve_columns(
    path: str | PathLike,
    header: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    columns: Mapping[str, str] | None,
    option: str,
) -> dict[str, int]:
    """Field name -> column index, for every field found. `option` is the command line
    option that names columns (--columns, --catalog-columns), for the messages."""
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(aliases))
    if unknown:
        raise InputError(path, None, f"unknown field {unknown[0]!r} in {option}; fields are: {', '.join(aliases)}")
    exact = {name: i for i, name in reversed(list(enumerate(header)))}
    loose = {normalise(name): i for i, name in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for field, wanted in columns.items():
        index = exact.get(wanted, loose.get(normalise(wanted)))
        if index is None:
            raise InputError(path, 1, f"no column {wanted!r} (named for {field} in {option}); the header has: {_listing(header)}")
        found[field] = index
    used = set(found.values())
    for field, names in aliases.items():
        if field in found:
            continue
        for name in names:
            index = loose.get(normalise(name))
            if index is not None and index not in used:
                found[field] = index
                used.add(index)
                break
    return found


def require(path: str | PathLike, found: Mapping[str, int], field: str, why: str, aliases: Mapping[str, Sequence[str]],
            header: Sequence[str], option: str) -> None:
    """A missing required column is an error that says why the field is needed and which option names it."""
    if field not in found:
        raise InputError(path, 1, f"{missing_column(field, why, aliases, option)}; the header has: {_listing(header)}")


def missing_column(field: str, why: str, aliases: Mapping[str, Sequence[str]], option: str, kind: str = "column") -> str:
    """`no title column (looked for title, name, product_name): <why>; name yours with --catalog-columns title=NAME`
    (kind "key" for JSON Lines)."""
    return (f"no {field} {kind} (looked for {', '.join(aliases[field][:6])}): {why}; "
            f"name yours with {option} {field}={kind.upper() if kind == 'key' else 'NAME'}")


def _listing(header: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(repr(name) for name in header[:limit])
    return shown + (f" and {len(header) - limit} more" if len(header) > limit else "")
