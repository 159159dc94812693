"""What an English question asks for by name: the noun phrase after its asking words (which courier
company…, how many departments…, does the expo have a prayer room…), and whether it asks for a thing at all."""

from __future__ import annotations

import re

from index.dictionary import words_for

# An English question's asked words: the noun phrase after "how many", "which", "what (is the)", "who is
# the", "is there", "does … have" opening it (how many exhibitors attended…, what's the deadline to…, does
# the expo have a beauty pavilion…), ending where a verb, a preposition or a pronoun begins (a shuttle bus
# from the station asks for a bus); the glossary reads what they name.
DOES_HAVE_EN = r"(?:do|does)\s+(?:\w+\s+){0,3}?have\b"  # does the expo have…
_EN_ASKING = re.compile(rf"\b(?:how many|how much|which|what|who|is there|are there|^\s*{DOES_HAVE_EN})(?:'s\b|\s+)\s*"
                        r"(?:(?:is|are|was|were|will|does|do|did)\s+)?(?:(?:the|a|an|any)\s+)?", re.IGNORECASE)
_EN_PHRASE_ENDS = frozenset("""
on of for in at to from by with under about into per between than as like after before since during
is are was were be been being will would can could should may might must shall do does did has have had
i you we they he she it me us them my your our their its this that these those there here and or but
not so if when where why how what which who whom whose one ones
get gets got make makes made take takes took mean means meant need needs happen happens go goes went
come comes came give gives gave hold holds held meet met see saw say says said rise rose fall fell grow
grew sell sold buy bought build built begin began bring brought find found lead led pay paid send sent
keep kept win won set put become became leave left
vs versus compare
""".split())  # and the commonest verbs, which end a noun phrase (what gets bound, departments took part), and
# the words a comparison is made with (how much percent vs June, compare last year)
# how much higher, how many more: a comparative asks by how much a thing changed, and names no thing
_COMPARATIVE = frozenset({"more", "less", "fewer", "higher", "lower", "bigger", "larger", "smaller", "greater", "faster",
                          "slower", "better", "worse", "longer", "shorter", "earlier", "later", "up", "down"})
# how many times, how many days: a measure counted, after which the phrase ends (how many times maximum)
_MEASURE = frozenset({"time", "times", "day", "days", "hour", "hours", "week", "weeks", "month", "months", "year", "years",
                      "percent", "point", "points"})
_EN_PHRASE_WORDS = 4


THERE_IS_EN = r"\b(?:is|are) there\b"
# what an English question asks the thing of: whether there is one or something has one (does the expo
# have…; not why do brands that have followers…), what or which it is (what was the volume…), after any
# words the asker opens with (Brother, what is the…; In July, what was the…)
_THING_EN = re.compile(rf"{THERE_IS_EN}|^\s*{DOES_HAVE_EN}|^\s*(?:[^.?!,]{{1,30}},\s*)?(?:what|which)(?:'s|\s+(?:is|was|are|were))\s+the\b",
                       re.IGNORECASE)


def asks_for_a_thing(question: str) -> bool:
    """An English question whether something exists (is there a shuttle bus…), or what or which the thing
    it names is (what was the trade volume…): like a factoid, it asks for a thing the documents must name."""
    return _THING_EN.search(question) is not None


def english_asked(question: str) -> str | None:
    """The noun phrase an English question asks for (which courier company had… → courier company, who
    is the contact person at… → contact person), or None. "who" asks for a noun only with a copula
    (who is the…); a verb ending in -ed after the first word ends the phrase (organisation released), as
    does a word an article follows (company provides the…)."""
    question = question.replace("\u2019", "'")
    for m in _EN_ASKING.finditer(question):
        if m.group(0).lower().startswith("who") and not re.search(r"'s|\s(?:is|are|was|were)\s", m.group(0) + " "):
            continue
        words: list[str] = []
        rest = re.findall(r"[A-Za-z][A-Za-z'-]*|\S", question[m.end():])
        how = m.group(0).lower().startswith("how")  # how much / how many: an amount or a count asked
        for i, w in enumerate(rest):
            low = w.lower()
            if not words and low in _COMPARATIVE and how:
                break
            if (not w[0].isalpha() or low in _EN_PHRASE_ENDS or len(words) == _EN_PHRASE_WORDS
                    or (words and low.endswith("ed") and len(low) > 4) or (words and _adverb(low))
                    or (words and i + 1 < len(rest) and rest[i + 1].lower() in ("the", "a", "an"))):
                break  # an article starts a phrase of its own: the word before it is a verb (provides the…)
            words.append(w)
            if low in _MEASURE and how:
                break
        if words:
            return " ".join(words)
    return None


def _adverb(word: str) -> bool:
    """An adverb made of an adjective with -ly (specifically, exactly, daily): it ends a noun phrase.
    Nouns ending in -ly (supply, family, assembly) are no adjective with -ly."""
    if len(word) < 6 or not word.endswith("ly"):
        return False
    stem = word[:-2]  # specific(al)ly, dai(l)y → day
    stems = [stem] + ([stem[:-2]] if stem.endswith("al") else []) + ([stem[:-1] + "y"] if stem.endswith("i") else [])
    return any(map(words_for, stems))


_WHICH = re.compile(r"\bwhich\s", re.IGNORECASE)


def asks_which_ones(question: str) -> bool:
    """An English question asking which ones of a thing, named in the plural (which fields did…, which
    supply-side sub-indices kept…): several are asked, a list. The question goes on after the noun: one
    that ends there may have taken its verb for it (which business unit pays?)."""
    question = question.replace("\u2019", "'")
    m = _WHICH.search(question)
    phrase = english_asked(question[m.start():]) if m else None
    if phrase is None:
        return False
    head = phrase.split()[-1]
    rest = question[m.end():]
    return _plural(head.lower()) and re.search(r"[A-Za-z]", rest[rest.find(head) + len(head):]) is not None


def _plural(word: str) -> bool:
    """An English noun in the plural: a word in -s whose singular the dictionary has (fields, indices,
    categories), not a measure counted (days, months) nor a word in -ss, -us or -is (business, status, basis)."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")) or word in _MEASURE:
        return False
    word = word.rsplit("-", 1)[-1]
    singulars = [word[:-1], word[:-2], word[:-3] + "y", word[:-4] + "ex", word[:-4] + "ix"]
    return any(words_for(s) for s in singulars if len(s) >= 2)
