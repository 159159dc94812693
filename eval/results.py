"""What one named configuration's eval run produced: ``run`` fills it in, ``report`` writes it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunResult:
    name: str
    settings: dict[str, str]
    aggregate: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    index_seconds: float = 0.0
