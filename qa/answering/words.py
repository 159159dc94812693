"""What a question's words tell the composer before any evidence is read: its key words that no
document uses (the rules composer refuses on one), and the nouns it asks for (the learned composer
refuses a factoid whose asked noun no document uses in any form or general synonym).
"""

from __future__ import annotations

import itertools
import re

from index.dictionary import FUNCTION_WORDS, chinese_names, places_within, spoken_form, words_for
from index.tokenizer import Tokenizer, is_english
from qa.answering.asker import without_statements
from qa.answering.english_asked import DOES_HAVE_EN, THERE_IS_EN, english_asked
from qa.answering.entities import shared_recognizer
from qa.answering.evidence import (
    GENERIC,
    META_NOUNS,
    NOUN_SUFFIXES,
    QUESTION_FORM,
    EvidenceBuilder,
    names_a_kind,
)
from qa.answering.kinds import INDEFINITE
from qa.answering.opposites import JoinedOpposites
from qa.answering.plain import stated_few
from qa.answering.segments import link_cut_apart
from qa.answering.spans import asks_change

_TIME_CLASS = frozenset({"Ca"})  # the thesaurus's class of words for times and periods
_KEY_POS = ("n", "vn", "eng", "j", "x", "l", "i")

# A word that asks (多少, 几个, 啥, 什么, 哪个, 谁), and what may stand between it and the noun it asks
# for: a numeral or measure word after it (多少个省), a copula, particle or adverb before it (会长是谁,
# 出口额单独是多少).
_ASKING = re.compile(r"多少|(?<!好)几|啥|什么|哪|谁|何")  # 何: literary 什么 (何处, 何时, 何人); 好几: several
_LINK_BEFORE = frozenset([*"是叫有的为在要交算", "的话", "呢"])  # …出口的话是多少: 的话 and 呢 mark the topic
_NOUN_ENDINGS = frozenset("里上中内量额数")  # a place particle or a measure glued to the noun
_MEASURES = frozenset("个条种类项件次批家位些块张根座间名支套份本")  # 几条, 哪家: the noun follows


# a question whether something exists or is had: 有没有…, 有…吗, 是否有…, "is there…", "does the expo have…"
_HAS_ZH = re.compile(r"(?:有没有|有无|是否有)[^，,。；;？?！!\s]{1,12}|(?<![没只])有(?!关|些|点|多)[^，,。；;？?！!\s]{1,12}(?:吗|么)")
_HAS_WORDS = re.compile(r"^(?:有没有|有无|是否有|有)|(?:吗|么)$")
_HAS_EN = re.compile(rf"{THERE_IS_EN}|\b{DOES_HAVE_EN}|\bhave you got\b", re.IGNORECASE)
_EN_PREPOSITION = re.compile(r"\b(?:in|at|for|from|near|of|on|by|with|to|around)\b")
# a name an English text writes with a capital inside a sentence, in one word (WeChat, WhatsApp, Douyin)
_EN_CAPITALISED = re.compile(r"(?<=[a-z,;:'\"(] )[A-Z][A-Za-z]+\b")


_CLAUSE_BREAK = re.compile(r"[\s，,。？?！!；;]+")


_COMPLEMENT = re.compile(r"(?:出来|起来|下来|上来|过来|出去|下去|上去)$")
_ASPECT = frozenset(["ul", "ug", "uz"])  # the tags of 了, 过 and 着 after a verb


def _links_after(word: str, pos: str) -> bool:
    return pos in ("m", "q", "uj") or word in ("个", "的", "种", "条", "家", "位")


def _with_person_suffix(tagged: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """A noun with 人 or 者 split off by the segmenter (法定代表+人) is one noun: the person who is it."""
    out: list[tuple[str, str]] = []
    for word, pos in tagged:
        if (word in ("人", "者") and out and out[-1][1].startswith("n") and len(out[-1][0]) >= 2
                and out[-1][0] + word in text):
            out[-1] = (out[-1][0] + word, out[-1][1])
        else:
            out.append((word, pos))
    return out


# What a contact is asked for (海关的咨询电话, 商务局电话多少), after whose name and a word for its service
_CONTACT_WORD = re.compile(r"(?:的)?(?:咨询|客服|联系|服务|办公|投诉)?(?:电话|热线|座机|手机号|传真|邮箱|电子邮件|qq|QQ|扣扣)")
# the last character of a body's name: a bureau, department, office, hall, centre, company, customs
_BODY_END = frozenset("局部署厅委办处馆关司团行院所站")
_BODY_ENDS = ("中心", "公司", "集团", "银行", "协会", "商会", "委员会")


class QuestionWords:
    """The checks on a question's own words, against the corpus's vocabulary (``lexical``)."""

    def __init__(self, tokenizer: Tokenizer, evidence: EvidenceBuilder) -> None:
        self.tokenizer = tokenizer
        self.evidence = evidence
        self.opposites = JoinedOpposites(tokenizer, self._stem)

    def unknown_name(self, question: str, retrieval, kept) -> str | None:
        """A proper name the question asks whether there is (有微信客服吗, does the expo have a WeChat
        account) that no document of the best evidence (``kept``) writes, as the question does or as
        the glossary or the pinyin table would: the evidence cannot say there is one. (A name elsewhere
        in a question may be the asker's own word for what the documents call otherwise; what is asked
        about cannot.)"""
        english = is_english(question)
        has = (_HAS_EN if english else _HAS_ZH).search(question)
        if not kept or not has:
            return None
        if english:  # a name after "is there", "does … have", before a preposition (a number in Beijing: where it is)
            end = _EN_PREPOSITION.search(question, has.end())
            names = [(m.group(0), [m.group(0).lower(), *self.tokenizer.translate(m.group(0)).split(), *chinese_names(m.group(0))])
                     for m in _EN_CAPITALISED.finditer(question, has.start(), end.start() if end else len(question))]
        else:  # a name in what 有…吗 asks about (not 新能源车 in 新能源车下乡 文件里有提吗), or the word it ends
            # in (电子邮箱: 邮箱), which says what kind of thing it is
            names = [(e.text, [self._head(self.tokenizer.normalize(e.text))])
                     for e in shared_recognizer().names(has.group(0)) if len(e.text) >= 2]
        texts = [self.evidence.document_text(d, retrieval)[1] for d in dict.fromkeys(x.sentence.doc_id for x in kept[:3])]
        return next((name for name, forms in names if not any(f and f in t for f in forms for t in texts)), None)

    def contact_owner(self, question: str, kept, document_text) -> str | None:
        """The body a contact question names as the contact's owner (海关的咨询电话, 义乌市商务局电话; not 全部,
        all, which names no thing) when the document of the best evidence (``document_text``: its text, synonyms
        included) does not name it in every word: the contact the evidence gives is another's (the expo's hotline)."""
        if not kept:
            return None
        text = document_text(kept[0].sentence.doc_id)
        for m in _CONTACT_WORD.finditer(question):
            words = [w for w, pos in self.tokenizer.tagged_words(question[:m.start()])]
            body = []
            for w in reversed(words):  # the noun phrase just before: 义乌市 + 商务局
                if not w.strip() or w == "的" or not self.tokenizer.tagged_words(w)[0][1].startswith(("n", "j")):
                    break
                body.insert(0, w)
            name = "".join(body)
            if len(name) >= 2 and (name[-1] in _BODY_END or name.endswith(_BODY_ENDS)) and not all(w in text for w in body) \
                    and not self.evidence.thesaurus.names_no_thing(name):
                return name
        return None

    def _head(self, name: str) -> str:
        """The longest word of two characters or more that a name ends in (电子邮箱 → 邮箱), else the name."""
        ends = [w for w in self.tokenizer.words(name) if len(w) >= 2 and name.endswith(w)]
        return min(ends, key=lambda w: (w == name, -len(w)), default=name)

    def missing_concepts(self, question: str, lexical) -> list[str]:
        """Key words of the question that no document uses in any form: a question about 门票 or 参展商
        cannot be answered from a corpus that never mentions them, however close the rest comes."""
        missing = []
        for word, pos in self.tokenizer.tagged_words(QUESTION_FORM.sub(" ", question)):
            is_number = word.isdigit() and len(word) >= 2
            if not is_number and (len(word) < 2 or not pos.startswith(_KEY_POS)):
                continue
            if word in META_NOUNS or word in GENERIC:
                continue
            if not self._said(word, pos, lexical):
                missing.append(word)
        return missing

    def asked_nouns(self, question: str) -> list[str]:
        """The nouns a question word governs: what is asked for (多少保证金, 哪个城市, 总统叫啥名字, 会长
        是谁). A question can mention anything on the way (想提前订酒店); it asks for these."""
        # what one clause asks for is in that clause
        clauses = [c for c in _CLAUSE_BREAK.split(stated_few(without_statements(question))) if c]
        return list(dict.fromkeys(noun for clause in clauses for noun in self._asked_in_clause(clause)))

    def _asked_in_clause(self, question: str) -> list[str]:
        tagged = link_cut_apart(_with_person_suffix(self.tokenizer.tagged_words(question), question), self.tokenizer.general_frequency)
        tags = dict(tagged)
        # a verb with its directional complement, which the tagger may read as a verbal noun (评出来多少个): what
        # is done, not a thing asked for; nor is one with an aspect particle after it (冲破了多少点, 培训过多少人):
        # a noun takes none
        verbs = {w for w, pos in tagged if pos == "vn" and _COMPLEMENT.search(w)}
        verbs |= {w for (w, pos), (_p, after) in itertools.pairwise(tagged) if pos == "vn" and after in _ASPECT}
        out: list[str] = []
        for i, (word, _) in enumerate(tagged):
            if not _ASKING.search(word) or INDEFINITE.match(word + (tagged[i + 1][0] if i + 1 < len(tagged) else "")):
                continue
            # the noun after it (多少保证金, 哪个城市), else the one it is said of (总统叫啥, 会长是谁); a noun
            # after it that another asking word follows is that one's (出口多少进口多少: 进口 is the second's)
            j = next((k for k in range(i + 1, min(i + 4, len(tagged))) if not _links_after(*tagged[k])), None)
            after = tagged[j][0] if j is not None else None
            if j is not None and any(_ASKING.search(w) for w, _ in tagged[j + 1:j + 3]) or self._holds_its_noun(word):
                after = None
            elif after is not None and names_a_kind(after) and after not in META_NOUNS:
                continue  # 在哪个场馆: a kind of answer asked (叫什么名字 asks the name of what is before)
            # 谁 before a verb is who does it (家人们谁懂啊, 谁牵头的): the noun before it is not what it asks of
            subject = word == "谁" and i + 1 < len(tagged) and tagged[i + 1][1].startswith("v")
            before = None if subject else next((w for w, pos in reversed(_without_pointing(tagged[max(0, i - 5):i]))
                                                if not (w in _LINK_BEFORE or w in GENERIC or pos == "d")), None)
            asked = next((w for w in (after, before) if w is not None and not _ASKING.search(w) and w not in verbs
                          and self._is_asked_noun(w, tags.get(w, ""))), None)
            if asked is not None:
                out.append(asked)
        return out

    def _holds_its_noun(self, word: str) -> bool:
        """An asking word written together with what it asks for (啥时候, 几楼, 何处): it governs no noun
        after it, only one it is said of (祖籍何处). One with a measure word (几个, 哪条, 多少种) still does."""
        rest = _ASKING.sub("", word)
        return bool(rest) and rest not in _MEASURES and all(pos.startswith(("n", "t", "s")) for _w, pos in self.tokenizer.tagged_words(rest))

    def _is_asked_noun(self, word: str, pos: str) -> bool:
        if len(word) < 2 or not pos.startswith(("n", "vn")) or word in META_NOUNS or word in GENERIC:
            return False
        if self.names_a_time(word) or names_a_kind(word):  # 什么时间段 asks for a date, as 什么时间 does;
            return False  # 门牌是哪儿 for an address, whichever word of the kind the documents use
        # a colloquial word for a kind of answer (事儿 = 事情) asks for nothing in particular either, nor one
        # typed for such a word (名子 for 名字)
        meant = self.tokenizer.commoner_alike(word)
        if meant is not None and not self._is_asked_noun(meant, pos):
            return False
        return not self.says_a_thing(word, pos)

    def says_a_thing(self, word: str, pos: str) -> bool:
        """The thesaurus files the word with one for a kind of answer or a thing at all (玩意 with 东西)."""
        return any(s in META_NOUNS for s in self.evidence.thesaurus.synonyms(word, pos))

    def names_a_time(self, word: str) -> bool:
        """A word for a time or period (时间段, 时期, 季节): the thesaurus files it under times alone."""
        classes = self.evidence.thesaurus.classes(word)
        return bool(classes) and classes <= _TIME_CLASS

    def missing_asked(self, question: str, lexical) -> str | None:
        """A noun the question asks for that no document uses, in any form or general synonym."""
        tags = dict(self.tokenizer.tagged_words(question))
        for word in self.asked_nouns(question):
            # 剧里 is 剧 with a place particle; 藏书量 the amount of 藏书, which a figure of 藏书 gives;
            # 创造者 the one who 创造, whom "由…创造" names
            stem = self._stem(word)
            if len(stem) < 2:
                continue
            if not any(self._said(w, tags.get(word, ""), lexical) for w in dict.fromkeys((word, stem))) \
                    and not any(lexical.knows(p) for p in places_within(word)):  # 在北京哪里: told by 人民大会堂
                return word
        return None

    def missing_had(self, question: str, lexical) -> str | None:
        """What a Chinese question asks whether there is (有没有免费大巴, 有志愿者吗), when its head — the
        noun that what 有…吗 asks about ends in: Chinese compounds end in their head — is a word no document
        uses in any form or general synonym: the documents cannot say there is one. A word for a kind of
        answer (热线, 邮箱) says nothing here; the kinds' own checks read it."""
        has = _HAS_ZH.search(question)
        if has is None:
            return None
        words = [(w, pos) for w, pos in self.tokenizer.tagged_words(_HAS_WORDS.sub("", has.group(0)))
                 if not pos.startswith(("u", "y", "x"))]  # 的, 呢, punctuation
        if not words or not self._is_asked_noun(*words[-1]) or names_a_kind(words[-1][0]):
            return None  # what it ends in is no noun (管商标专利那块的: the part that deals with them)
        head, pos = words[-1]
        stem = self._stem(head)
        return None if len(stem) < 2 or any(self._said(w, pos, lexical) for w in dict.fromkeys((head, stem))) else head

    def asked_inside_word(self, question: str, text: str) -> tuple[str, str] | None:
        """A noun the question asks for (or the change of: 出口增长了多少) that ``text`` holds only inside a word
        of two joined opposites (出口 in 进出口: 进出 + 口, imports and exports together): the text speaks of
        something else. Returns the noun and the word it is inside."""
        asked = self.asked_nouns(question)
        return self.opposites.inside_word(asked + self._changed(question) + self._modifying(question, asked) + self._done(question), text)

    def _modifying(self, question: str, asked: list[str]) -> list[str]:
        """The noun just before a noun asked for, which says which one is asked (出口 of 出口总值是多少)."""
        tagged = self.tokenizer.tagged_words(question)
        return [w for (w, pos), (head, _p) in itertools.pairwise(tagged) if head in asked and pos.startswith(("n", "vn")) and len(w) >= 2]

    def english_inside_word(self, question: str, text: str) -> tuple[str, str] | None:
        return self.opposites.english_inside_word(question, text)

    def _done(self, question: str) -> list[str]:
        """What a question asks the amount done of, a verbal noun with an aspect particle before a question word
        (出口了多少钱: how much was exported)."""
        tagged = self.tokenizer.tagged_words(question)
        return [w for i, ((w, pos), (_p, after)) in enumerate(itertools.pairwise(tagged))
                if pos == "vn" and after in _ASPECT and len(w) >= 2 and _ASKING.search("".join(x for x, _ in tagged[i + 2:i + 4]))]

    def _changed(self, question: str) -> list[str]:
        """The nouns a question asks the change of: before a verb of change and a question word (出口增长了多少)."""
        tagged = self.tokenizer.tagged_words(question)
        return [w for i, ((w, pos), (verb, vpos)) in enumerate(itertools.pairwise(tagged))
                if pos.startswith(("n", "vn")) and len(w) >= 2 and vpos.startswith("v") and asks_change(verb)
                and _ASKING.search("".join(x for x, _ in tagged[i + 2:i + 5]))]

    @staticmethod
    def _stem(word: str) -> str:
        """The noun without a place particle or measure glued to it (出口额 → 出口, 剧里 → 剧), or the 儿 of a
        spoken form (地儿 → 地, 事儿 → 事)."""
        derived = word[-1] in NOUN_SUFFIXES and len(word) > 2
        return word[:-1] if word[-1] in _NOUN_ENDINGS or derived or spoken_form(word) else word

    def missing_asked_english(self, question: str, lexical) -> str | None:
        """What an English question asks for, when the glossary reads it as terms no document uses
        (how many exhibitors → 参展商), or, when the glossary does not know its head noun, the dictionary's
        words for the head (is there a free shuttle bus → 交通车, 接泊车…; a visitor ticket → 门票, 入场券…)
        are none the documents use: the documents cannot give its value. An English compound is
        head-final: the glossary knowing "visitor" says nothing of the ticket. Words neither knows, and
        words for the kind of answer (number, date), say nothing either way."""
        phrase = english_asked(question)
        if phrase is None:
            return None
        terms = [t for t in self.tokenizer.translate(phrase).split() if not t.isascii()]
        if terms and not any(self._said(t, "n", lexical) for t in terms):
            named = [w for w in phrase.split() if any(not t.isascii() for t in self.tokenizer.translate(w).split())]
            return " ".join(named) or phrase
        if phrase.split()[-1][0].isupper():
            return None  # a name (Li Qiang), which the entity checks read
        words = phrase.lower().split()
        if words[-1] in FUNCTION_WORDS or self._head_read(words):
            return None  # a word for the kind of answer, or a head the glossary reads (checked above)
        head = " ".join(words[-2:]) if len(words) > 1 and words_for(" ".join(words[-2:])) else words[-1]
        chinese = words_for(head)
        return head if chinese and not any(self._said(w, "n", lexical) for w in chinese) else None

    def english_asked_nouns(self, question: str) -> list[str]:
        """The Chinese words for what an English question asks for by name, as ``asked_nouns`` gives them for a
        Chinese one (which supply-side sub-indices → 指数; which fields → 领域, 方面…): the glossary's terms for
        the asked phrase's head, then the dictionary's words for it. English compounds are head-final."""
        phrase = english_asked(question)
        if phrase is None:
            return []
        head = phrase.split()[-1]
        terms = [f for t in self.tokenizer.translate(head).split() if not t.isascii() for f in t.split("/")]
        return list(dict.fromkeys(terms + words_for(head.lower())))

    def _head_read(self, words: list[str]) -> bool:
        """Whether the glossary reads an English phrase's last word: on its own, or as part of a phrase
        it knows whole (online retail sales → 网上零售额, where sales alone is no entry)."""
        def terms(ws: list[str]) -> list[str]:
            return [t for t in self.tokenizer.translate(" ".join(ws)).split() if not t.isascii()]
        return bool(terms(words[-1:])) or terms(words) != terms(words[:-1])

    def _said(self, word: str, pos: str, lexical) -> bool:
        """Some document uses the word, in some form or as a general synonym of its part of speech."""
        if self._present(word, lexical) or self.evidence.synonyms_known(word, pos, lexical):
            return True
        # a word the thesaurus files under events alone (会面) is told by a document with a verb of the
        # same sense (会见), whatever the question's word is tagged
        thesaurus = self.evidence.thesaurus
        senses = {c[0] for c in thesaurus.classes(word)}
        return bool(senses) and senses <= set(_EVENT_CLASSES) and any(
            self._present(w, lexical) for w in thesaurus.synonyms(word, pos, _EVENT_CLASSES))

    def _present(self, word: str, lexical) -> bool:
        if any(lexical.knows(f) for f in self.tokenizer.forms(word)):
            return True
        # A compound the corpus never writes whole still counts when its parts cover it (邮箱地址), or
        # all but a leading verb (发+邮件). Chinese compounds are head-final, so an uncovered last
        # character (出口+额: the amount, not the exports) changes what is asked and does not count.
        parts = [p for p in self.tokenizer.words(word) if p != word and len(p) >= 2]
        covered = set()
        for p in parts:
            if any(lexical.knows(f) for f in self.tokenizer.forms(p)) or p in META_NOUNS:
                start = word.find(p)
                covered.update(range(start, start + len(p)))
        if len(word) <= 2 or not covered:
            return False
        return len(covered) == len(word) or (len(covered) == len(word) - 1 and 0 not in covered)


_EVENT_CLASSES = "FGHIJ"  # Cilin's classes of actions, activities, states and relations


_ONE_OF = re.compile(r"一[项块个类种]")


def _without_pointing(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The words before an asking word without those that only point back at the noun (出口这一块是多少:
    这, 一块): a pronoun and the numeral or measure word after it, or a measure of one after the noun
    that singles it out (出口一项是多少)."""
    out: list[tuple[str, str]] = []
    for k, (w, pos) in enumerate(tagged):
        if pos == "r" or pos in ("m", "q") and (k and tagged[k - 1][1] in ("r", "m") or _ONE_OF.fullmatch(w)):
            continue
        out.append((w, pos))
    return out[-3:]

