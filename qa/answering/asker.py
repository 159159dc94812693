"""What a question asks, apart from what the asker says of themselves: who and where they are (我是县商务局的,
I represent a chamber of commerce in Shanghai.), what they do or mean to do in a clause that asks nothing
(我们公司做供应商审核, 想去网博会顺便打听下…), what they want the answer for (…写文案要用) and what the answer is
to leave out (除了淘宝). A name or a period there is the asker's, not a constraint on the evidence."""

from __future__ import annotations

import functools
import re

from index.tokenizer import is_english
from qa.answering.kinds import ASKS, CONTACT, asked_type, question_types, valued_clauses
from qa.answering.plain import stated_few
from qa.answering.spans import EMAIL_RE, PHONE_RE, QType

# 我是县商务局的, 我是做小商品的, 本人是参展商; and, before what is asked, 我在东阳开小店, 我们来自云南:
# who and where the asker is, not what the answer must be about
_ABOUT_ASKER = re.compile(r"(?:我|我们|本人)(?:就)?是[^，,。？?！!；;\s]*"
                          r"|(?:我|我们|本人)(?:就|都|一直)?(?:在|来自|从)[^，,。？?！!；;\s]*(?=[，,。！!；;\s].)"
                          # 宁波货代一枚，…: the asker says who they are in the idiom "a … (one of)", subject left out
                          r"|(?:^|(?<=[，,。！!；;\s]))[^，,。？?！!；;\s]{1,12}一枚(?=[，,。！!；;\s])")


# kinship words, of one's family said as one's own (我爷爷) or as one calls them (王阿姨: slips.kin_called)
KIN = "爷爷|奶奶|外公|外婆|儿子|女儿|孩子|哥哥?|姐姐?|弟弟?|妹妹?|叔叔?|舅舅?"
# where one of the asker's own people is, once the asker has named them (帮我爷爷打字的。他在甘肃天水种苹果，…): the
# asker's side, not what the answer must be about
_KIN_NAMED = re.compile(rf"(?:我|我们|俺|咱)(?:的|家|家的)?(?:{KIN}|姥姥|姥爷|爸爸?|妈妈?|父亲|母亲|老公|老婆|爱人|老伴|侄子|侄女"
                        r"|亲戚|朋友|同学|同事|老乡|家人)")
_THEY_AT = re.compile(r"(?:(?<=[。！!，,；;\s])|^)[他她](?:们)?(?:就|都|一直)?(?:在|来自|从)[^，,。？?！!；;\s]*(?=[，,。！!；;\s].)")


def _kin_told(question: str) -> str:
    """The question less where 他 or 她 is, after the asker has named one of their own people."""
    named = _KIN_NAMED.search(question)
    return question if named is None else question[:named.end()] + _THEY_AT.sub(" ", question[named.end():])


# I represent a chamber of commerce in Shanghai. / We are a trading company from Ningbo. / Hi, we are selling
# chatbots. / Hi, small exporter from Guangdong here. — a statement (not a question) whose subject is the asker, to
# its full stop or to a dash before the question (…book my flights to Yiwu for the expo — which days does it run?).
# What they read or heard (I read that Chinese customs published…) is what they ask about, not about them.
_ASKS_EN = "(?i:what|where|who|why|how|which|when|is|are|do|does|can|could)"  # a question's first word
_TOLD = "read|heard|saw|seen|learned|learnt|noticed"  # what they were told is what they ask about
_ABOUT_ASKER_EN = re.compile(r"(?:^|(?<=[.!?,]\s))(?:(?:I|I'm|I\u2019m|[Ww]e|[Ww]e're|[Ww]e\u2019re|My|Our|(?<=,\s)(?:my|our))\b"
                             rf"(?!\s+(?:have\s+|had\s+|just\s+)?(?:{_TOLD})\b)[^.!?]*"
                             rf"|(?!{_ASKS_EN}\b)[^.!?]{{1,60}}\bhere"
                             # For the fact box of my article I'd like to cite the site — what…: what the asker means to do
                             rf"|(?!{_ASKS_EN}\b)"
                             rf"(?![^.!?]*\b(?:{_TOLD}|says?|said)\b)[^.!?]*\b(?:my|our|I'd|I\u2019d)\b[^.!?—–]*)"
                             rf"(?:[.!]|\s[—–-]+\s(?={_ASKS_EN}\b))")  # …, small exporter from Guangdong here.
# the formulas of a letter around what it asks: a salutation (Dear Sir/Madam, Esteemed organisers,), thanks, the request
# itself (kindly inform me of, please let us know) and what the answer is for (, so that I may arrange my travel)
_FORMULA_EN = re.compile(r"^\s*(?:Dear|Esteemed|Respected|Honou?red)\b[^,.!?:]{0,40}[,.!:]"
                         r"|(?:^|(?<=[.!?]\s))\s*(?:(?:many|a\s+thousand)\s+)?(?:thanks|thank\s+you)\b[^.!?]*[.!]"  # thanks (for…), its own sentence
                         r"|\b(?:(?:kindly|please)\s+)?(?:inform|advise|tell|let)\s+(?:me|us)(?:\s+know)?(?:\s+(?:of|about|on|upon|as\s+to)\b)?"
                         # (that after a comma only: is it true that we can… asks it)
                         r"|(?:,\s*(?:so\s+that|so|that|in\s+order\s+that)|\s(?:so\s+that|so|in\s+order\s+that))\s+(?:I|we)\s+(?:may|might|can|could)\b[^.!?]*",
                         re.IGNORECASE)


def without_formulas(question: str) -> str:
    """An English question without its letter's formulas (Dear Sir/Madam, kindly inform me of, so that I may…):
    they name nothing the answer is about."""
    return _FORMULA_EN.sub("", question).strip()


# or who they are, in a clause before the question (I'm a buyer from Penang, when does it open?)
_ASKER_CLAUSE_EN = re.compile(r"(?:^|(?<=[.!?]\s))(?:I|I'm|I\u2019m|I am|[Ww]e|[Ww]e're|[Ww]e\u2019re|[Ww]e are)\s"
                              rf"(?!(?:have\s+|had\s+|just\s+)?(?:{_TOLD})\b)[^.!?,]*,\s(?={_ASKS_EN}\b)")


# a clause the asker opens with themselves (我们公司做供应商审核, 俺们村合作社想搞直播) or with what they mean to
# do, the subject left out (想去网博会顺便打听下格鲁吉亚市场), and asks nothing in
# (or says what they do, the subject left out: 做小家电的，…)
# (a time they say it happened at comes first as often: 去年我们家的巴旦木在抖音上卖爆了一阵; a clause opening with
# a year counted back from now, 去年靠一个单品爆了, is the asker's story, the documents being dated)
_BY_ASKER = re.compile(r"^\s*(?:去年|前年)(?!同期|同月)|^\s*(?:(?:今年|前几年|早些年|上个?月|上半年|之前|以前|当时|\d{4}年)[，,\s]?)?"
                       # 做报关的 / 宁波做报关的: one who does it (where), the asker left unsaid (or, in the
                       # nominaliser of Chaozhou and Hakka speech, 做玩具个)
                       r"(?:我|我们|俺|俺们|本人|咱|咱们|想|打算|准备|[^，,。？?！!；;\s]{0,6}?做[^，,。？?！!；;\s]{1,10}(?:的|个)(?=[，,。！!；;\s]|$))"
                       # 赛努！, 老铁!: a greeting or a call, a word alone before an exclamation mark
                       r"|^\s*[\u4e00-\u9fff]{1,4}[！!]\s*$"
                       # 赣南这边县里都在争…: where the asker is (这边, here), in a clause that asks nothing
                       r"|^\s*[\u4e00-\u9fff]{2,6}?这边"
                       # 额是西安开面馆的: who one is (是…的, or what one does: 是晋江做鞋的头家) after a one-character
                       # subject, a pronoun of any dialect's (not one pointing at what is asked about: 这是…的)
                       r"|^\s*(?![这那它哪谁啥])[\u4e00-\u9fff]是(?:[^，,。？?！!；;\s]{2,14}(?:的|个)|[^，,。？?！!；;\s]{0,8}?[做开卖搞干种养][^，,。？?！!；;\s]{1,8}的[\u4e00-\u9fff]{1,3})(?=[，,。！!；;\s]|$)")
# what the asker is writing or preparing (写研究性学习报告要个数据:, 老师让我们做一个…课题) or was told to do
# (老板让我…): in a clause that asks nothing, their work, not what the answer must be about
_WRITING = re.compile(r"(?:写|做|弄|搞|准备|整理|赶)[^，,。？?！!；;\s]{0,16}?(?:报告|论文|作业|课题|课件|讲稿|稿子|文案|综述|汇报|PPT|ppt)")
_FOR_WORK = re.compile(_WRITING.pattern + r"|(?:老师|老板|领导|上级|导师|单位|公司)(?:让|叫|要求)(?:我|我们|俺)"
                       # or what it is for, in a clause of its own before the question (为做好…对接工作，现需核实…)
                       r"|^\s*为了?(?!什么|啥|何|哪)[^，,。？?！!；;]{4,}(?:工作|需要|准备|起见)\s*[，,]")
# whose question the asker passes on (开小超市的亲戚问，…, 群友想知道:): a clause that ends in their asking, and
# asks nothing itself
_RELAYED = re.compile(r"(?:问|想知道|打听)(?:一下|下|问)?[，,：:\s]*$")
# whom a chat message is addressed to or passes a question on from (@阿芳 问…, @Tom): a chat name followed by the
# space the chat puts after it, not an e-mail address
_MENTION = re.compile(r"(?<![A-Za-z0-9_.@])@[^\s@，,。？?！!：:]{1,16}(?=[\s\u2005]|$)")
# what the answer is to leave out (除了淘宝还有哪几个): named to be excluded, not to be matched
_EXCEPT = re.compile(r"除了[^，,。？?！!；;\s]{1,24}?(?:之外|以外|外|还|也|，|,|\s|$)")


# what the asker half remembers of it (好像是浙江那个), or guesses after asking (在哪开，是不是就在商贸城里？):
# their guess, checked by the answer, not a constraint on it
_HEDGED = re.compile(r"(?:好像|可能|应该|大概|似乎)是[^，,。？?！!；;\s]{1,10}?那[个家边]|"
                     r"(?<=[，,；;\s])(?:还是说|是不是|是否)(?:就|就是)?(?:在|是)?[^，,。？?！!；;\s]{1,16}[？?]?$")


# after a clause's mark (a comma, a full stop, a colon, a space, or a chat's tilde after a word: 小作业~): where
# about_question and without_work cut
_PIECE_END = re.compile(r"(?<=[，,。？?！!；;:：\s])|(?<=[\u4e00-\u9fff][~～])")


@functools.lru_cache(maxsize=1024)  # asked of one question by retrieval, the parts, the follow-up and the composer
def about_question(question: str) -> str:
    """The question without what the asker says of themselves (我是县商务局的，…, 我们公司做供应商审核) or of
    what they want the answer for after asking (…占社零比重多少 写文案要用), nor what the answer is to
    leave out (除了淘宝), nor whom a chat message names (@阿芳 问): a name there is the asker's, not a
    constraint on the evidence."""
    text = _HEDGED.sub(" ", _EXCEPT.sub(" ", _ABOUT_ASKER.sub(" ", _kin_told(_ABOUT_ASKER_EN.sub(" ", _ASKER_CLAUSE_EN.sub("", _MENTION.sub(" ", question)))))))
    clauses = _PIECE_END.split(text)
    # what asks is read with the 几 of "a few" taken for what it is (俺们这边几个卖啤酒的寻思…: stated_few)
    plain = _PIECE_END.split(stated_few(text))
    last = max((i for i, c in enumerate(plain) if ASKS.search(c)), default=len(clauses) - 1)
    kept, told = [], False
    for i, c in enumerate(clauses[:last + 1]):
        opens = i == 0 or clauses[i - 1].rstrip()[-1:] in "。！!？?"
        if opens:  # a statement the asker opens (我家孩子上初二，对网购直播挺感兴趣。) is theirs to its end
            # (or with who they are, taken out above: 我们是渔业合作社，最近在琢磨网上卖货。)
            told = i < last and bool(_BY_ASKER.match(c) or not c.strip(" ，,")) and not ASKS.search(_sentence(plain, i))
        if i == last or not told and (ASKS.search(_ASKED_OF_OTHERS.sub("", plain[i])) or not (_BY_ASKER.match(c) or _FOR_WORK.search(c) or _RELAYED.search(c))):
            kept.append(c)
    return "".join(kept)


# a lead-in before a colon that asks nothing (备一节课：…, 核对一下数据：…, For my slides: …): what the asker is
# doing, or a heading of the matter
_LEAD_IN = re.compile(r"^[^：:？?！!。]{2,30}[：:](?=\s*\S)")


def after_lead_in(question: str) -> str:
    """The question after a lead-in that asks nothing, or the whole question."""
    m = _LEAD_IN.match(question)
    return question[m.end():] if m and not ASKS.search(m.group(0)) else question


# what the asker means to ask someone else (想给办展的单位发个传真问问老年人能不能进场): not asked here
_ASKED_OF_OTHERS = re.compile(r"(?:给|向|跟|找)[^，,。？?！!；;\s]{1,12}?(?:问问|问一下|问下|打听|咨询)[^，,。？?！!；;]*")


def _sentence(clauses: list[str], i: int) -> str:
    """The clauses from ``i`` to the end of their sentence."""
    out = []
    for c in clauses[i:]:
        out.append(c)
        if c.rstrip()[-1:] in "。！!？?":
            break
    return "".join(out)


_NUMBER_ASKED = re.compile(r"号|多少|几|哪个|哪一?条|QQ|邮箱|[A-Za-z]")
_CLAUSE = re.compile(r"[^，,。？?！!；;]+[，,。？?！!；;]*")


_ASKING_CLAUSE_EN = re.compile(r"(?:\s[-\u2013\u2014]+\s|[;:]\s)\s*((?:what|which|where|who|how|is|are|can|could|do|does)\b[^-;:]*)$",
                               re.IGNORECASE)


def kind_asked(question: str, basis: str) -> QType:
    """The kind of answer asked (kinds.asked_type). A contact is asked for by asking its number, so a
    contact word only in what the asker says of themselves (我们也想搞那种手机一点半小时送到家的 … 到底要咋弄)
    asks for none; and of two contacts, the one named in the clause that asks (电话老是占线打不进去，发邮件
    的话发到哪个地址: the e-mail) is the one asked for, the other is the asker's story."""
    kind = asked_type(question, basis)
    if kind is QType.NUMBER:  # 第一个打不通 另一个号多少: the number of the item it points at is of its kind
        carried = basis.replace(question, "")
        return QType.PHONE if PHONE_RE.search(carried) else QType.EMAIL if EMAIL_RE.search(carried) else kind
    if kind not in CONTACT:
        return kind
    if is_english(question):  # …would rather write than call. Is there an email address?: the sentence that asks,
        # and of it the clause that asks on its own (…rather email than call - what's the email address?)
        asking = [x for x in re.split(r"(?<=[.!?])\s+", question) if x.rstrip().endswith("?")]
        asking = [c for x in asking for c in [x, *_ASKING_CLAUSE_EN.findall(x)[-1:]]]
        # I wholesale phone cases… Where is the expo held?: a place (not What is it?, which number is it?:
        # those ask what the sentence before names)
        kinds = question_types(" ".join(asking)) if asking else []
        if kinds and not set(kinds) & {*CONTACT, QType.NUMBER, QType.DESCRIPTIVE}:
            return kinds[0]
    else:
        own = about_question(question)  # read only where a contact is asked
        if ASKS.search(own) and not _NUMBER_ASKED.search(own):
            return asked_type(own, basis)
        asking = [c for c in _CLAUSE.findall(question) if ASKS.search(c)]
        # 电话不行 展会 邮箱 多少: the asking words alone ask of the clauses just before them (valued_clauses)
        asking += valued_clauses(question)[-1:]
    if asking and (said := question_types(asking[-1])[0]) in CONTACT:
        return said
    return kind


# a clause that asks of what the clauses before it name: it points back to them (它是多少, 这俩哪个在前, 给他的) or has
# nothing but its asking words and particles (具体是多少, 到底有几个呀: of the one before)
_POINTS_BACK = re.compile(r"[它她]|(?<!其)他|^\s*(?:请问)?(?:其(?!他)|[这那](?!么))")
_PARTICLES = re.compile(r"[，,。？?！!；;\s是为有的了呢啊呀吧来着具体到底大概大约一共总共分别]")


_CHECKING = re.compile(r"吧[？?，,。！!\s]*$")


def without_work(question: str) -> str:
    """The question less the clauses that ask nothing and say what the asker is writing or preparing
    (我在写社会实践报告，…: no word of theirs is a word the evidence should share) or which document the
    question is about (that is retrieval's to find). What they were told to do (老板让我给博览会发邮件) may
    name the topic, and stays."""
    clauses = _PIECE_END.split(question)
    # and what the asker says after the last clause that asks (or checks: 第二批也是那时候出吧) is what they will do
    # with the answer (网博会在哪个馆办 导航要输地址: the address they will type is no word to match)
    last = max((i for i, c in enumerate(clauses) if ASKS.search(c) or _CHECKING.search(c)), default=len(clauses) - 1)
    return "".join(c for c in clauses[:last + 1] if not (_WRITING.search(c) or _IN_DOCUMENT.match(c)) or ASKS.search(c)) or question


# a clause that says only which document the question is about (那篇讲7月指数的报道里，…): retrieval finds it
# by these words; the answer's sentence need not repeat them
_IN_DOCUMENT = re.compile(r"^(?:在|从)?[^，,。？?！!；;\s]{0,24}?(?:报道|文章|新闻|文件|通知|稿子|公告|方案|意见|计划|篇)"
                          r"(?:里面|里头|里|中|上)[，,\s]+$")


def without_statements(question: str) -> str:
    """The question less its sentences that a full stop ends before one that asks: those state
    (帮着几个年轻人搞直播。…是几个部门…？), their 几 and 什么 are "a few" and "some". The last sentence
    is kept whatever ends it (展会有多少展位。 asks)."""
    sentences = [t for t in _SENTENCE_END.split(question) if t]
    return "".join(t for i, t in enumerate(sentences)
                   if not (t[-1] in "。！!" and any(ASKS.search(u) for u in sentences[i + 1:])))


_SENTENCE_END = re.compile(r"(?<=[。！!?？])")


def asked_clauses(question: str) -> str:
    """The clauses of a question that ask, with those a clause asks of when it points back or is bare:
    what the asker states around them (周报结尾要附上出处，…, …我想去看看) names nothing the answer must say."""
    clauses = _CLAUSE.findall(without_statements(question))
    keep = [bool(ASKS.search(c)) for c in clauses]
    for i, c in enumerate(clauses):
        if not keep[i] or i == 0 or keep[i - 1]:
            continue
        if _POINTS_BACK.search(c):  # back to the clause that asked before
            j = i - 1
            while j >= 0 and not ASKS.search(clauses[j]):
                keep[j], j = True, j - 1
        elif not _PARTICLES.sub("", ASKS.sub("", c)):
            keep[i - 1] = True
    return "".join(c for c, k in zip(clauses, keep) if k) or question
