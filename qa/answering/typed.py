"""What a question typed otherwise than the corpus writes it: a character of the same sound (博揽会 for
博览会, 综宝区 for 综保区) and the everyday word for what the corpus writes in capitals (扣扣 for QQ)."""

from __future__ import annotations

from index.dictionary import acronyms
from index.tokenizer import Tokenizer
from qa.answering.evidence import EvidenceBuilder
from qa.answering.retriever import Retrieval


def typed_alike(tokenizer: Tokenizer, query: str, retrieval: Retrieval) -> list[tuple[str, str]]:
    """The words the query types with a character of the same sound (博揽会) as the corpus writes
    them (博览会), and the everyday words for what the corpus writes in capitals (扣扣 for QQ, from
    the dictionary): (as typed, as meant). A character the retrieved text writes beside the same
    neighbour as the query does is as meant (杜普洛, 符泳练水: names) and is left as it is."""
    text = "\n".join(tokenizer.normalize(h.chunk.text) for h in retrieval.hits)
    norm, fixes = tokenizer.normalize(query), []
    lexical = retrieval.snapshot.lexical
    known = lexical.knows
    # a word the documents use, or a synonym of one (综保区 for 综合保税区): 综宝区 is typed for it
    for typed, meant in tokenizer.typed_alike(query, lambda w: EvidenceBuilder.known(tokenizer.forms(w), lexical)):
        at = norm.index(typed) + next(i for i, (a, b) in enumerate(zip(typed, meant)) if a != b)
        pairs = [norm[j:j + 2] for j in (at - 1, at) if j >= 0 and len(norm[j:j + 2]) == 2]
        if typed in query and not any(p in text for p in pairs):
            fixes.append((typed, meant))
    for word in dict.fromkeys(tokenizer.words(query)):  # 扣扣: the slang for what the corpus writes QQ
        said = [a for a in acronyms(word) if known(a.lower())] if not known(word) else []
        if said and word in query:
            fixes.append((word, said[0]))
    return fixes


def fixed(text: str, fixes: list[tuple[str, str]]) -> str:
    """The text with each typed word replaced by the word meant."""
    for typed, meant in fixes:
        text = text.replace(typed, meant)
    return text
