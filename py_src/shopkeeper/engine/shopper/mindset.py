"""Mindset cues from the words a shopper uses and the content they click.

Outcome-minded shoppers look for proof ("best rated", "proven", "results"); growth-minded
ones for progress ("learn", "improve", "beginner"). Copy that speaks to the right one
converts better; the merchant maps variants to the cue with a rule (`mindset == 'growth'`).
"""

from __future__ import annotations

from shopkeeper.engine.config.site import Trait
from shopkeeper.engine.remembered import remembered

OUTCOME_WORDS = frozenset({
    "best", "top", "rated", "proven", "guaranteed", "results", "professional", "pro", "fastest",
    "strongest", "premium", "award", "winning", "reviews", "bestseller", "ultimate",
})
GROWTH_WORDS = frozenset({
    "learn", "learning", "improve", "beginner", "beginners", "guide", "how", "practice", "tips",
    "starter", "basics", "grow", "training", "course", "tutorial", "progress",
})


@remembered(maxsize=512)
def words_of(text: str) -> tuple[str, ...]:
    """Lower-case words of letters and digits; a tokenizer with no regex module import.
    Remembered: a shopper's queries come back on every page, and this walks characters."""
    words, current = [], []
    for character in text.lower():
        if character.isalnum():
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return tuple(words)


def mindset_of(texts: list[str]) -> str:
    outcome = growth = 0
    for text in texts:
        for word in words_of(text):
            outcome += word in OUTCOME_WORDS
            growth += word in GROWTH_WORDS
    if outcome == growth:
        return "neutral"
    return "outcome" if outcome > growth else "growth"


def trait_scores(traits: tuple[Trait, ...], categories: dict[str, float], texts: list[str]) -> dict[str, float]:
    """Each declared trait's score in 0..1: its categories' share of the shopper's category
    affinity, plus its words' share of the words they used, averaged."""
    top_level = {key: score for key, score in categories.items() if " > " not in key}
    category_total = sum(top_level.values())
    words = [word for text in texts for word in words_of(text)]
    scores = {}
    for trait in traits:
        wanted = trait.categories
        category_share = (
            sum(score for key, score in categories.items() if key in wanted) / category_total if category_total else 0.0
        )
        trait_words = frozenset(word.lower() for word in trait.words)
        word_share = sum(word in trait_words for word in words) / len(words) if words else 0.0
        scores[trait.name] = round(min(1.0, (min(1.0, category_share) + min(1.0, 4 * word_share)) / 2), 6)
    return scores
