"""Which part of a building a question asks for (几号门, 几楼, which floor), and whether a text numbers or names one."""

from __future__ import annotations

import re

from qa.answering.kinds import BUILDING

# not 哪个馆 (or which hall): "which venue" as often as which hall
_PART_ASKED = re.compile(rf"几号({BUILDING})|几(楼)|(楼)层|门牌(号)|\b(hall|booth|gate)(?= (?:no\.?|number)\b)|(?<=which )(floor)\b|"
                         r"(?<=what )(floor)\b", re.IGNORECASE)
_PART_EN = {"hall": "馆", "booth": "展位", "gate": "门", "floor": "楼"}  # as the documents would number it


def asked_place_part(question: str) -> str | None:
    """The part of a building a question asks the number or name of (停车场从几号门进: 门; 在几楼, which floor: 楼)."""
    part = next((g for g in m.groups() if g), None) if (m := _PART_ASKED.search(question)) else None
    return _PART_EN.get(part.lower(), part) if part else None


def states_place_part(text: str, part: str) -> bool:
    """Whether ``text`` numbers or names such a part (6楼, 3号馆, 东门, B2展位)."""
    return bool(re.search(rf"(?:[0-9A-Za-z一二三四五六七八九十]+号?|[东南西北正])(?:{re.escape(part)})", text))
