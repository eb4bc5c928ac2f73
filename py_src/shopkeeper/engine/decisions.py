"""Decision values handed back to the page: plain data that crosses to JS as JSON
(docs/decisions.md is the contract)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Decisions:
    made_at_ms: float
    model_version: str = ""
    slots: dict[str, dict] = field(default_factory=dict)
    slots_elsewhere: dict[str, dict | None] = field(default_factory=dict)
    recs: dict[str, dict] = field(default_factory=dict)
    rerank: dict[str, list[str]] = field(default_factory=dict)
    popups: list[dict] = field(default_factory=list)
    exposures: list[dict] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        return {
            "made_at_ms": self.made_at_ms, "model_version": self.model_version, "slots": self.slots,
            "slots_elsewhere": self.slots_elsewhere,
            "recs": self.recs, "rerank": self.rerank, "popups": self.popups, "exposures": self.exposures,
        }
