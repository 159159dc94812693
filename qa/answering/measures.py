"""What an amount asked for is given in: a measure's units (面积 in 亩 or 平方公里) and a named currency
(美元, not 元), read from the words of the question."""

from __future__ import annotations

import re

# What a measure is given in: the nouns (and 多+adjective) that ask for one, and its units.
MEASURES = tuple((re.compile(cue), units) for cue, units in (
    (r"面积", "平方米|平方公里|平方千米|平方英里|公顷|亩|km²|km2|m²"),
    (r"体重|重量|多重", "公斤|千克|克|吨|斤|kg|mg"),
    (r"身高|高度|海拔", "米|公尺|英尺|英寸|cm|mm|km"),
    # how far is said in travel time too (步行10分钟)
    (r"长度|全长|距离|多长(?!时间)|多远|半径|直径", "米|公里|公尺|英尺|英里|英寸|km|cm|mm|分钟|小时"),
    (r"年龄|岁数|多大年纪", "岁"),
    (r"温度|气温", "℃|度"),
))


CURRENCIES = tuple((re.compile(cue, re.IGNORECASE), unit) for cue, unit in (
    (r"美元|美金|\bUS\$|\bUSD\b|\bdollars?\b", "美元"), (r"欧元|\beuros?\b|\bEUR\b", "欧元"),
    (r"日元|\byen\b|\bJPY\b", "日元"), (r"英镑|\bpounds? sterling\b|\bGBP\b", "英镑"), (r"港元|港币|\bHKD\b", "港元|港币")))
