"""What a question typed otherwise than the corpus writes it: a character of the same sound (博揽会 for
博览会, 综宝区 for 综保区), a place written as the everyday word of its sound (去义务 for 义乌), the everyday word
for what the corpus writes in capitals (扣扣 for QQ) and English words mixed into Chinese (booth for 展位)."""

from __future__ import annotations

import re

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
    return fixes + english_words(tokenizer, query, retrieval)


# a run of English words in a Chinese question (想拿个booth去展一下, 传真号 fax过去)
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*)*")


def english_words(tokenizer: Tokenizer, query: str, retrieval: Retrieval) -> list[tuple[str, str]]:
    """English words a Chinese question mixes in (这个expo我想拿个booth, 开Georgia的market) that no document
    uses, with the corpus's words for them (博览会, 展位, 格鲁吉亚, 市场) as the glossary and the dictionary
    read them: (as typed, as meant). Of a word's several readings the documents use, the commonest in
    them. Words the documents use as they are (QQ, ICP, FACT) and words no reading of which the documents
    use (thx, yyds) stay as typed."""
    lexical = retrieval.snapshot.lexical
    fixes = []
    for run in dict.fromkeys(m.group(0) for m in _LATIN_RUN.finditer(query)):
        if any(lexical.knows(w.lower()) for w in run.split()):
            continue
        terms = tokenizer.translate(run, lexical.knows).split()
        meant = "".join(min(t.split("/"), key=lexical.idf) for t in terms if not re.search(r"[A-Za-z]", t))
        if meant:
            fixes.append((run, meant))
    return fixes


def fixed(text: str, fixes: list[tuple[str, str]]) -> str:
    """The text with each typed word replaced by the word meant."""
    for typed, meant in fixes:
        text = text.replace(typed, meant)
    return text
