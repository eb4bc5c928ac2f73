"""'Did you mean ...?' for names a merchant mistyped in a rule or a config key.

Our own edit distance instead of `difflib`, which the browser runtime does not ship.
"""

from __future__ import annotations


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def closest(word: str, candidates) -> str:
    """The candidate nearest to `word`, or '' when none is close enough to be a typo.

    Case-only differences and a shortened name ('hero' for 'hero-copy') count as
    close; otherwise at most a third of the word may differ, so 'order' suggests
    'orders' but 'x' suggests nothing.
    """
    best, best_distance = "", len(word) // 3 + 1
    for candidate in sorted(candidates):
        if candidate.lower() == word.lower():
            distance = 0
        elif len(word) >= 3 and (candidate.startswith(word) or word.startswith(candidate)):
            distance = 1
        else:
            distance = edit_distance(word, candidate)
        if distance < best_distance and candidate != word:
            best, best_distance = candidate, distance
    return best


def did_you_mean(word: str, candidates) -> str:
    """' (did you mean 'orders'?)' or ''."""
    guess = closest(word, candidates)
    return f" (did you mean '{guess}'?)" if guess else ""
