"""English inflection: the forms an English word of a question may be inflected from, so the dictionary,
which gives its senses for base forms, can be read with it (targets → target, verified → verify, sold →
sell)."""

from __future__ import annotations

# the past forms of English's irregular verbs (bound → bind, sold → sell, grew → grow)
IRREGULAR = {past: verb for verb, *pasts in (line.split() for line in """
arise arose arisen|be was were been|bear bore borne born|beat beaten|become became|begin began begun|bend bent|
bind bound|bite bit bitten|blow blew blown|break broke broken|bring brought|build built|burn burnt|buy bought|
catch caught|choose chose chosen|come came|creep crept|deal dealt|dig dug|do did done|draw drew drawn|
dream dreamt|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|
find found|flee fled|fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|
freeze froze frozen|get got gotten|give gave given|go went gone|grind ground|grow grew grown|hang hung|have had|
hear heard|hide hid hidden|hold held|keep kept|know knew known|lay laid|lead led|lean leant|leap leapt|learn learnt|
leave left|lend lent|lie lay lain|light lit|lose lost|make made|mean meant|meet met|mistake mistook mistaken|
overcome overcame|pay paid|prove proven|ride rode ridden|ring rang rung|rise rose risen|run ran|say said|
see saw seen|seek sought|sell sold|send sent|shake shook shaken|shine shone|shoot shot|show shown|shrink shrank shrunk|
sing sang sung|sink sank sunk|sit sat|sleep slept|slide slid|speak spoke spoken|speed sped|spend spent|spin spun|
spring sprang sprung|stand stood|steal stole stolen|stick stuck|sting stung|strike struck|strive strove striven|
swear swore sworn|sweep swept|swim swam swum|swing swung|take took taken|teach taught|tear tore torn|tell told|
think thought|throw threw thrown|tread trod trodden|understand understood|undertake undertook undertaken|
wake woke woken|wear wore worn|weave wove woven|win won|wind wound|withdraw withdrew withdrawn|write wrote written
""".replace("\n", "").split("|") if line.strip()) for past in pasts}


def base_forms(word: str) -> list[str]:
    """The word and what it may be inflected from: targets → target, counties → county, confirming →
    confirm, issued → issue, verified → verify, sold → sell."""
    forms = [word] + ([IRREGULAR[word]] if word in IRREGULAR else [])
    if word.endswith("ied"):  # verified → verify, tied → tie
        forms.append(word[:-3] + "y" if len(word) > 4 else word[:-1])
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith(("ches", "shes", "xes", "sses")):
        forms.append(word[:-2])
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[:-len(suffix)]
            forms += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    if not word.endswith("s"):
        forms.append(word + "s")  # a sense given in the plural: 资金 /funds/
    return forms
