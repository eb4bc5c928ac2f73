"""Decision values handed back to the page; plain data so they cross to JS as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class SlotDecision:
    variant: str
    html: str
    reason: str


@dataclass(frozen=True)
class Decisions:
    made_at_ms: float
    slots: dict[str, SlotDecision] = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        return asdict(self)
