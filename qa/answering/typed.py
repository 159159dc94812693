"""What a question typed otherwise than the corpus writes it: a character of the same sound (博揽会 for
博览会, 综宝区 for 综保区), a place written as the everyday word of its sound (去义务 for 义乌), the everyday word
for what the corpus writes in capitals (扣扣 for QQ), English words mixed into Chinese (booth for 展位) and
words typed in pinyin (canguan for 参观)."""

from __future__ import annotations

import re
from collections import Counter

from index.dictionary import acronyms, spellings, words_read_as
from index.storage.base import Lexicon
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
    english = english_words(tokenizer, query, retrieval)
    return fixes + english + pinyin_words(fixed(query, english), text, lexical)


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


def pinyin_words(query: str, text: str, lexical: Lexicon) -> list[tuple[str, str]]:
    """Words a Chinese question types in pinyin (不是摆摊,就是 canguan; hao dian yi ti), as the corpus writes
    them: (as typed, as meant). Of the Latin words of a run that no document uses, the longest sequences
    that the readings of two or more characters of the retrieved ``text`` spell, read as the characters
    the text has most often (canguan: 参观); or, where the text has none, that spell a word of the
    dictionary the documents use, the documents' commonest (zhibo: 直播, not 纸箔). A sequence neither
    spells stays as typed (yyds)."""
    fixes = []
    for run in dict.fromkeys(m.group(0) for m in _LATIN_RUN.finditer(query)):
        words, i = run.split(), 0
        used = [lexical.knows(w.lower()) for w in words]
        while i < len(words):
            for j in range(len(words), i, -1):
                typed = " ".join(words[i:j])
                if any(used[i:j]):
                    continue
                found = Counter(w for w in spellings(typed, text) if len(w) >= 2)
                if not found:  # each word the documents use counts once, the commonest (lowest idf) first
                    found = Counter({w: -lexical.idf(w) for w in words_read_as(typed) if lexical.knows(w)})
                if found:
                    fixes.append((typed, max(found, key=lambda w: (found[w], w))))
                    i = j
                    break
            else:
                i += 1
    return fixes


def fixed(text: str, fixes: list[tuple[str, str]]) -> str:
    """The text with each typed word replaced by the word meant."""
    for typed, meant in fixes:
        text = text.replace(typed, meant)
    return text
