"""Killed and injured counts in one clause of folded text (en/ru/uk).

The gold distinguishes "not said" (None) from "said to be none" (0): "no casualties" and
"пострадавших нет" set both to 0, "жертв нет" / "no victims" only `killed`. Figures come as
"5 people were killed", "killing the driver", "ранены два человека", "поранено трьох людей",
"троє поранених", or as people described by age ("пострадал 24-летний мужчина" -> 1).
A sub-count ("four of them in serious condition", "серед поранених четверо дітей") is not a total.
"""

from __future__ import annotations

import re

from transforms.gates import Gates, prefixes
from transforms.numbers import MONTH_AFTER, NUMBER, WORD_VALUES, number_spans, parse_number

_B = r"(?<![\w'])"
_E = r"(?![\w'])"

_INJ = (
    r"(?:injur\w*|wounded|wounding|wounds|hurt|ранен\w*|ранил\w*|пострада\w*|травмирован\w*|поранен\w*|поранил\w*"
    r"|постражда\w*|травмован\w*|травм\w*|гостр\w+ реакці\w+)"
)
_KIL = r"(?:killed|killing|dead|died|deaths?|fatalit\w*|lives|bodies|погиб\w*|убит\w*|загин\w*|загибл\w*|не выжил\w*|вбит\w*)"
_NUM = rf"(?P<num>{NUMBER})"

_WINDOW = re.compile(r"[^,.;:!?()\n]{0,80}")
_WORD = re.compile(r"[\w'-]+")
# "killing [at least] <number>": the number counts people.
VERB_BEFORE = re.compile(
    r"(?<![\w'])(?:killing|killed|injuring|injured|wounding|wounded|погибли|погибло|ранены|ранено|пострадали|"
    r"загинули|загинуло|поранено|поранені|постраждали|травмовано)\s+(?:(?:at least|по меньшей мере|не менее|минимум|"
    r"щонайменше|ще|еще|also)\s+)?$")
_NEGATED_NUM = re.compile(r"(?<![\w'])(?:no|ни|not a single|жоден|жодна)\s+$")
# Counted things that are not people: "обстріл восьми населених пунктів", "two drones", "three houses".
_NOT_PEOPLE = re.compile(
    r"(?:населен|пункт|settlement|village|house|home|building|будин|будів|дом|здан|сел|car|vehicle|авто|"
    r"district|район|област|region|drone|дрон|беспилот|безпілот|бпла|ракет|missile|rocket|bomb|бомб|каб|снаряд|"
    r"shell|time|раз|hour|годин|час|minute|хвилин|день|дн|day|доб|сут|apartment|квартир|window|вікон|окон)"
)
_NUM_AFTER = {
    "injured": re.compile(
        rf"{_B}(?:injuring|wounding|injured|wounded|reaching|ранены|ранено|ранили|пострадали|пострадало|"
        rf"получили ранения|ранения получили|поранено|поранені|поранили|постраждали|постраждало|"
        rf"отримали поранення|поранення (?:[\w'-]+\s+){{0,4}}отримали|травмовано|травмовані|з пораненнями|с ранениями|"
        rf"травмированы|травмирован|травмовано)"
        rf"\s+(?:(?:at least|по меньшей мере|не менее|минимум|щонайменше|ще|еще|also)\s+)?{_NUM}{_E}"
    ),
    "killed": re.compile(
        rf"{_B}(?:killing|killed|погибли|погибло|погиб|погибла|убиты|убито|загинули|загинуло|загинула|загинув|"
        rf"загиблих|погибших|"
        rf"тела|death toll (?:rose to|reached|is|stands at)|жертвами стали)"
        rf"\s+(?:(?:at least|по меньшей мере|не менее|минимум|щонайменше)\s+)?{_NUM}{_E}"
    ),
}
_PERSON = (r"(?:man|woman|person|resident|civilian|child|boy|girl|driver|passenger|pensioner|teenager|worker|employee|"
           r"rescuer|firefighter|volunteer|guard|farmer|journalist|(?:police )?officer|policeman|пассажир\w*|пасажир\w*|мужчин\w*|женщин\w*|"
           r"человек|жител\w*|житель|ребен\w*|девушк\w*|парень|парн\w*|водител\w*|глав\w*|пенсионер\w*|подрост\w*|"
           r"чоловік\w*|жінк\w*|людин\w*|мешкан\w*|дитин\w*|хлопц\w*|хлопчик\w*|дівчин\w*|водій|водія|голов\w*|"
           r"пенсіонер\w*|підліт\w*|боєць|военн\w*|військов\w*)")
_EN_SG_WORDS = (r"(?:man|woman|person|resident|civilian|child|boy|girl|driver|passenger|pensioner|teenager|worker|employee|"
                r"guard|farmer|firefighter|rescuer|volunteer|policeman)")
# One person named without a number: "killing the driver", "a man was injured", "ранен глава".
_ONE = {
    "injured": re.compile(
        rf"{_B}(?:(?:a|the|one) (?:[\w-]+ ){{0,2}}(?:man|woman|person|resident|civilian|child|boy|girl|driver|"
        rf"pensioner|teenager)(?: [^,.;:]{{0,80}}?)? (?:was|has been|had been) (?:\w+ ){{0,2}}(?:injured|wounded|hurt)|"
        rf"(?:injuring|wounding) (?:the|a|an|one) (?:[\w-]+ )?{_PERSON}|"
        # "a woman suffered minor injuries", "the driver sustained shrapnel wounds"
        rf"(?:a|the|one) (?:[\w-]+ ){{0,2}}{_EN_SG_WORDS}(?: (?:who|that) [^,.;:]{{0,40}}?)? (?:suffered|sustained|received) "
        rf"(?:[\w-]+ )?(?:injur|wound)\w*|"
        # "leaving a woman with shrapnel wounds", "a man was treated for cuts", "was cut by broken glass"
        rf"leaving (?:a|an|one|the) (?:[\w-]+ ){{0,2}}{_EN_SG_WORDS} (?:with (?:[\w-]+ ){{0,2}}(?:injur|wound)\w*|injured|wounded|hurt)|"
        rf"(?:a|the|one) (?:[\w-]+ ){{0,2}}{_EN_SG_WORDS} (?:was|has been|had been) (?:\w+ ){{0,2}}?(?:treated for|cut by)|"
        rf"(?:(?:был |была )?ранен[ао]?|пострадал[аи]?|поранен(?:а|ий|о)?|постраждав|постраждала|травмован(?:а|ий))"
        rf"\s+(?:[\w'-]+\s+){{0,2}}?{_PERSON}|"
        # "водитель получил ранения", "тракторист ранен": one person by the singular verb
        rf"[а-яіїєґ'-]+ (?:был |была |був |була )?(?:ранен|ранена|поранений|поранена|травмирован|травмирована|"
        rf"травмований|травмована)|"
        rf"[а-яіїєґ'-]+ (?:получил|получила|отримав|отримала|дістав|дістала|зазнав|зазнала) (?:[\w'-]+ )?"
        rf"(?:ранени|ранен|поранен|травм)\w*|"
        # "пострадавшую женщину доставили в больницу": one person, named in the accusative
        rf"(?:пострадавш(?:ую|его)|ранен(?:ую|ого)|поранен(?:у|ого)|постраждал(?:у|ого)|травмован(?:у|ого)) "
        rf"(?:[\w'-]+ )?{_PERSON}|"
        rf"(?:ранен|ранена|поранений|поранена) (?!(?:\d|двое|трое|четверо|пятеро|двоє|троє|четверо|п'ятеро))[а-яіїєґ'-]+)"
        rf"{_E}"
    ),
    "killed": re.compile(
        rf"{_B}(?:(?:killing|killed) (?:the|a|an|one) (?:[\w-]+ )?{_PERSON}|(?:a|the|one) (?:[\w-]+ ){{0,2}}(?:man|woman|person|resident|"
        rf"civilian|child|boy|girl|driver|pensioner) (?:was |has been )?(?:killed|died)|погиб(?:ла)?|"
        rf"загинув|загинула|убит[аы]?|не выжил[а]?|died)"
        rf"{_E}"
    ),
}
_PLURAL_VERB = {
    "injured": re.compile(rf"{_B}(?:пострадали|ранены|поранені|постраждали|отримали поранення|получили ранения){_E}"),
    "killed": re.compile(rf"{_B}(?:загинули|погибли|were killed){_E}"),
}
_INCLUDED = re.compile(r"(?<![\w'])(?:included|including|among (?:them|the)|серед них|среди них|в том числе|"
                       r"у тому числі|в тому числі|зокрема)(?![\w'])")
_AGE = re.compile(r"\d{1,3}\s*-?\s*(?:year-old|летн\w*|річн\w*|лет|років)")
_BIRTH_YEAR = r"(?:года рождения|г\.\s?р\.|р\.\s?н\.|року народження)"  # "мужчина 1987 года рождения": no count
_BIRTH_ASIDE = re.compile(rf",\s*(?:[\w-]+\s+)?(?:19|20)\d\d\s*{_BIRTH_YEAR}\s*,|(?:19|20)\d\d\s*{_BIRTH_YEAR}")
# "Two people were hospitalised": the injured, when the clause gives no injured figure of its own
# ("four injured, two of them hospitalised" is four).
_HOSP = r"(?:hospitali[sz]ed|госпитализирован\w*|госпитализировал\w*|госпіталізован\w*|госпіталізувал\w*)"
_HOSP_RE = re.compile(_B + _HOSP + _E)
_HOSP_FULL = re.compile(_HOSP)
_NUM_AFTER["hospital"] = re.compile(rf"{_B}(?:were hospitali[sz]ed|госпитализированы|госпитализировали|госпіталізовано"
                                    rf"|госпіталізували)\s+{_NUM}{_E}")
_HOSPITAL_WORDS = ("hospital", "больниц", "лікарн", "медучрежд", "медзаклад")
_DIED_WORDS = ("died", "killed", "succumb", "скончал", "погиб", "умер", "помер", "загинув", "загинула")
# "two workers were taken to hospital", "троих доставили в больницу", "двох людей доставили до лікарні"
_HOSP_TAKEN = re.compile(
    rf"{_B}{_NUM}\s+(?:[\w'-]+\s+){{0,3}}?(?:(?:(?:had |have |has )?(?:been |were |was ))?(?:taken|admitted|rushed) to "
    rf"(?:a |the )?hospital|(?:доставлен\w*|доставили|доставлено) "
    rf"(?:в больниц\w*|до лікарн\w*|в лікарн\w*|в медучрежден\w*|до медзаклад\w*))")
_ONE["hospital"] = re.compile(rf"{_B}(?:(?:a|the|one) (?:[\w-]+ ){{0,2}}{_EN_SG_WORDS} (?:was|has been) hospitali[sz]ed"
                              rf"|{_PERSON} (?:был |была )?(?:госпитализирован[аы]?|госпіталізован(?:а|ий|о)?)"
                              rf"|(?:госпитализирован[аы]?|госпіталізован(?:а|ий|о)?) {_PERSON}){_E}")
_PLURAL_VERB["hospital"] = re.compile(rf"{_B}(?:госпитализированы|госпіталізовані|were hospitali[sz]ed){_E}")
_INJ_RE = re.compile(_B + _INJ + _E)
_INJ_FULL = re.compile(_INJ)
_KIL_FULL = re.compile(_KIL)
_INJ_PHRASE = re.compile(r"(?:sustained|received|получил\w*|отримал\w*|дістал\w*|дістав|зазнал\w*|зазнав) (?:\w+ ){0,3}"
                         r"(?:injur|ранени|поранен|травм)"
                         r"|(?:treated|hospitali[sz]ed) for (?:\w+ ){0,2}(?:cuts|injur\w*|wounds|shock|burns|bruises|concussion)"
                         r"|(?:cut|injured|hurt) by (?:flying |broken |shattered )?glass")
_SUBCOUNT = re.compile(r"\s+(?:of them|of whom|of the|из них|з них|серед них|среди них|in (?:serious|critical)"
                       r"|у важкому|в тяжелом|children|дітей|детей|with |із |с )")
_KIL_RE = re.compile(_B + _KIL + _E)

# Zero statements.
_ZERO_BOTH = re.compile(
    _B + r"(?:no (?:reported |immediate )?(?:reports? of )?(?:casualties|injuries|injured|deaths or injuries"
    r"|dead or (?:wounded|injured))"
    r"|(?:nobody|no[- ]one|no (?:people|persons|civilians|residents)) (?:was |were )?(?:reported )?"
    r"(?:hurt|injured|wounded|harmed|killed or (?:hurt|injured|wounded))"
    r"|without (?:(?:causing|leaving|inflicting|any|reported) ){0,2}(?:casualties|injuries)"
    r"|without (?:injuring|hurting|harming) anyone"
    r"|(?:casualties|injuries) (?:were|was) (?:avoided|not (?:immediately )?reported)"
    r"|lack of (?:injuries|casualties)|absence of (?:casualties|injuries)|no injuries"
    r"|(?:пострадавш|потерпевш)\w*,?\s+(?:[\w'-]+,?\s+){0,6}?(?:нет|не было|не выявлено|не зафиксировано)"
    r"|без (?:жертв (?:и|і|та) )?(?:пострадавш|потерпевш|раненых)\w*"
    r"|(?:погибш|загибл)\w* (?:и|і|та) (?:ранен|поранен|пострадавш|постраждал)\w* (?:нет|немає|нема|не было|не було)"
    r"|никто не пострадал|не пострадал\w*|обошлось без (?:[\w-]+ ){0,3}(?:пострадавш|ранен|травм)\w*"
    r"|без (?:жертв (?:и|і|та) )?(?:постраждал|потерпіл|поранен)\w*|(?:постраждал|потерпіл)\w*,?\s+(?:[\w'-]+,?\s+){0,6}?(?:немає|не було|нема)"
    r"|ніхто не постраждав"
    r"|(?:немає|не було|нема) (?:[\w-]+ ){0,2}(?:постраждал|поранен|травмован)\w*"
    r"|обійшлося без (?:[\w-]+ ){0,3}(?:постраждал|поранен|травмован)\w*|без поранен\w*"
    r"|(?:поранен|травмован)\w* (?:[\w-]+ ){0,3}(?:немає|нема|не було))" + _E
)
_ZERO_KILLED = re.compile(
    _B + r"(?:no (?:victims|deaths|fatalities|one was killed|dead)|nobody was killed|no one died"
    r"|жертв (?:[\w-]+ ){0,4}(?:нет|немає|нема|не было|не було)|без жертв|погибш\w* (?:[\w-]+ ){0,2}нет"
    r"|(?:немає|нема) (?:[\w-]+ ){0,2}загибл\w*|без загибл\w*|обійшлося без (?:[\w-]+ ){0,3}загибл\w*"
    r"|обошлось без (?:[\w-]+ ){0,3}(?:жертв|погибш)\w*|загибл\w* (?:[\w-]+ ){0,3}(?:немає|нема)"
    r"|без погибш\w*)" + _E
)


def find_casualties(clause: str) -> tuple[int | None, int | None]:
    """(killed, injured) stated in one folded clause; None when it says nothing about them."""
    clause = _ASIDE.sub(lambda m: " " * len(m.group()), clause)
    if "рожд" in clause or "р.н" in clause or "г.р" in clause or "народж" in clause:
        clause = " ".join(_BIRTH_ASIDE.sub(" ", clause).split())  # "водитель, мужчина 1979 года рождения, получил ранения"
    gate = _GATES.mask(clause)  # which wordings occur at all: the others cannot match (transforms.gates)
    hospital = any(w in clause for w in _HOSPITAL_WORDS)  # "taken to hospital": no word of the gates
    died = any(w in clause for w in _DIED_WORDS)  # "a third worker died", "третий ... скончался"
    if not gate and not hospital and not died:
        return None, None
    if any(w in clause for w in _SPARED_WORDS):  # "the crew of 16 were not hurt"
        clause = _SPARED.sub(lambda m: " " * len(m.group()), clause)
    zero_both = _ZERO_BOTH.search(clause) if gate & _G_ZERO_BOTH else None
    zero_killed = _ZERO_KILLED.search(clause) if gate & _G_ZERO_KILLED else None
    for m in (zero_both, zero_killed):  # "no-one was hurt" holds no count of one
        if m is not None:
            clause = clause[:m.start()] + " " * (m.end() - m.start()) + clause[m.end():]
    killed = _toll(clause, "killed") if gate & _G_TOLL_KILLED else None
    injured = _toll(clause, "injured") if gate & _G_TOLL_INJURED else None
    if killed is None and (gate & _G_KILLED or died):
        killed = _count(clause, "killed")
    if injured is None and gate & _G_INJURED:
        injured = _count(clause, "injured")
    if injured is None and (gate & _G_HOSPITAL or hospital):
        injured = _count(clause, "hospital")
    if zero_both is not None:
        killed = 0 if killed is None else killed
        injured = 0 if injured is None else injured
    if zero_killed is not None and killed is None:
        killed = 0
    return killed, injured


# Some people named unharmed ("the crew of 16 were not hurt", "двое рабочих не пострадали"): a part of
# the event, neither a count of the hurt nor a statement that no one was.
_SPARED = re.compile(
    rf"{_B}{NUMBER}\s+(?:[\w'-]+\s+){{0,3}}?(?:were|was|are)\s+not\s+(?:hurt|injured|harmed|wounded){_E}"
    rf"|{_B}{NUMBER}\s+(?:[\w'-]+\s+){{0,2}}?не\s+(?:пострадал\w*|постраждал\w*|получил\w* (?:ранений|травм)){_E}")
_ORDINAL_STARTS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "втор", "трет", "четв", "пят", "п'ят",
                   "шест", "шост", "седьм", "сьом", "друг")
_TAKEN_WORDS = ("taken to", "admitted to", "rushed to", "доставлен", "доставили")
_SPARED_WORDS = ("not hurt", "not injured", "not harmed", "not wounded", "не пострадал", "не постраждал",
                 "не получил")
_ORDINALS = {w: n for n, forms in {
    2: "second второй вторая другий друга", 3: "third третий третья третій третя",
    4: "fourth четвертый четвертая четвёртый четвёртая четвертий четверта",
    5: "fifth пятый пятая п'ятий п'ята", 6: "sixth шестой шестая шостий шоста",
    7: "seventh седьмой седьмая сьомий сьома"}.items() for w in forms.split()}
# "a third port worker had died", "третий пострадавший скончался в больнице": the latest toll by its ordinal
_NTH_DIED = re.compile(
    rf"{_B}(?:(?:a|the)\s+)?(?P<nth>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})\s+(?:[\w'-]+\s+){{0,3}}?"
    rf"(?:(?:has|had)\s+)?(?:died|was killed|succumbed|скончал\w*|погиб\w*|умер\w*|помер\w*|загинув|загинула){_E}")
# "Four people, including two children, were wounded": the aside is not the count.
_ASIDE = re.compile(r",\s*(?:including|among them|в том числе|среди них|среди которых|серед них|серед яких|зокрема|"
                    r"включая|у тому числі|в т\.ч\.)[^,.;:]{0,80},")
_RISE = r"(?:has |have |had )?(?:rose|risen|climbed|reached|increased|grew|возросло|выросло|увеличилось|достигло|зросла|зросло|" \
        r"збільшилася|збільшилась|сягнула|сягнуло|досягла)\s+(?:up to\s+|to\s+|до\s+)?"
# The subject may carry its event ("число пострадавших при атаке на Курск возросло до шести") or be
# brought to its figure ("bringing the death toll to three").
_TOLL_GAP = r"\s+(?:[\w'-]+\s+){0,10}?"
_TOLL = {
    "killed": re.compile(rf"{_B}(?:(?:death toll|number of (?:the )?(?:dead|deaths|killed)|(?:число|количество) погибших|"
                         rf"(?:число|кількість) (?:загиблих|жертв)){_TOLL_GAP}{_RISE}"
                         rf"|bringing the (?:death toll|number of (?:the )?(?:dead|deaths|killed)) (?:[\w-]+ ){{0,2}}?to\s+"
                         rf"|(?:revis|rais|updat|put)\w* (?:the |its )?(?:[\w'-]+ )?death toll (?:[\w-]+ ){{0,2}}?(?:to|at)\s+){_NUM}{_E}"),
    "injured": re.compile(rf"{_B}(?:(?:number of (?:the )?(?:injured|wounded)|(?:число|количество) (?:пострадавших|раненых)|"
                          rf"кількість (?:поранених|постраждалих|травмованих)){_TOLL_GAP}{_RISE}"
                          rf"|bringing the number of (?:the )?(?:injured|wounded) (?:[\w-]+ ){{0,2}}?to\s+){_NUM}{_E}"),
}


def _toll(clause: str, kind: str) -> int | None:
    """"Число пострадавших возросло до 12", "the death toll rose to 9": an update of the total."""
    m = _TOLL[kind].search(clause)
    return parse_number(m.group("num")) if m else None


_EN_SG = (r"(?:man|woman|person|resident|civilian|child|boy|girl|driver|passenger|pensioner|teenager|employee|worker|"
          r"rescuer|volunteer|firefighter|officer|son|daughter|wife|husband|mother|father)")
_EN_PL = (r"(?:men|women|people|residents|civilians|children|boys|girls|drivers|pensioners|teenagers|employees|workers|"
          r"rescuers|volunteers|firefighters|officers|passengers|students|patients|neighbou?rs|relatives|customers)")
_RU_SG = (r"(?:мужчина|женщина|ребенок|ребёнок|подросток|пенсионер|пенсионерка|водитель|пассажир|пассажирка|"
          r"чоловік|жінка|дитина|підліток|пенсіонер|пенсіонерка|водій|пасажир|пасажирка)")
# "две пассажирки", "троє дітей", "двое мужчин": a counted item of a Russian or Ukrainian list
_RU_PL = (r"(?:пассажир\w*|пасажир\w*|женщин\w*|мужчин\w*|дет(?:ей|и)|дітей|діти|жінк\w*|чоловік\w*|"
          r"подрост\w*|підліт\w*|пенсионер\w*|пенсіонер\w*|человека?|людини|людей|жител\w*|мешкан\w*)")
_ITEM = (rf"(?P<@it>(?:a|an|the|one|another|his|her|their) (?:[\w-]+ ){{0,2}}?{_EN_SG}"
         rf"|(?P<@c>(?:a|the) (?:[\w-]+ )?couple)"
         rf"|(?:(?:his|her|their) )?(?P<@n>{NUMBER}) (?:[\w-]+ ){{0,2}}?(?:{_EN_PL}|{_RU_PL})|{_RU_SG})")


def _people(p: str) -> str:
    """Two to four coordinated people; each item's groups are named `<p>it<i>` and `<p>n<i>`."""
    items = [_ITEM.replace("@it", f"{p}it{i}").replace("@n", f"{p}n{i}").replace("@c", f"{p}c{i}") for i in range(4)]
    return rf"{items[0]}(?:,\s*{items[1]})?(?:,\s*{items[2]})?,?\s+(?:and|и|та|і|й)\s+{items[3]}"


# "killing a man and a woman", "two women and a man were wounded", "погибли мужчина и женщина": a list of people.
# (verb first, the English passive), apart: the passive's search starts at every word, so it runs only
# where "were"/"been" occurs
_PEOPLE_LIST = {
    "killed": (re.compile(rf"{_B}(?:killing|killed|погибли|загинули)\s+{_people('a')}{_E}"),
               re.compile(rf"{_B}{_people('b')}\s+(?:were|have been) killed{_E}")),
    "injured": (re.compile(rf"{_B}(?:injuring|wounding|injured|wounded|ранены|поранені|постраждали|пострадали"
                           rf"|травмированы|травмовані|госпитализированы|госпіталізовані)\s+{_people('a')}{_E}"),
                re.compile(rf"{_B}{_people('b')}\s+(?:were|have been) (?:injured|wounded|hurt){_E}")),
}


# Literals each list pattern's match contains: the verb it starts with (read off the pattern), the passive's
# tail. Without one in the clause the pattern cannot match, and its search (which starts at every
# position) is not run.
_PASSIVE_TAILS = {"killed": ("were killed", "been killed"),
                  "injured": ("were injured", "were wounded", "were hurt", "been injured", "been wounded", "been hurt")}
_PEOPLE_LIST_WORDS = {kind: (tuple(prefixes(verb_first) or ("",)), _PASSIVE_TAILS[kind])
                      for kind, (verb_first, _) in _PEOPLE_LIST.items()}


def _people_list(clause: str, kind: str) -> int | None:
    """The number of people a coordinated list names: each item is one person or its own count."""
    if kind not in _PEOPLE_LIST:
        return None
    verb_first, passive = _PEOPLE_LIST[kind]
    verbs, tails = _PEOPLE_LIST_WORDS[kind]
    m, p = verb_first.search(clause) if any(v in clause for v in verbs) else None, "a"
    if m is None and any(t in clause for t in tails):
        m, p = passive.search(clause), "b"
    if m is None:
        return None
    total = 0
    for i in range(4):
        if m.group(f"{p}it{i}") is None:
            continue
        n, couple = m.group(f"{p}n{i}"), m.group(f"{p}c{i}")
        total += parse_number(n) if n else 2 if couple else 1  # type: ignore[operator]  # a digit group parses
    return total or None


def _count(clause: str, kind: str) -> int | None:
    listed = _people_list(clause, kind)
    if listed:
        return listed
    if kind == "killed" and any(w in clause for w in _ORDINAL_STARTS) and (m := _NTH_DIED.search(clause)):
        return _ORDINALS[m.group("nth")]  # "a third worker died in hospital": the toll is now three
    if kind == "hospital" and any(w in clause for w in _TAKEN_WORDS) and (m := _HOSP_TAKEN.search(clause)) \
            and not _is_age(clause, m.end("num")):
        return parse_number(m.group("num"))
    value = _number_first(clause, kind)
    if value is None:
        m = _NUM_AFTER[kind].search(clause)
        if m and not _is_age(clause, m.end("num")) and not _things_after(clause, m.end("num")):
            value = parse_number(m.group("num"))
    if value is not None:
        return value
    if not _WORD_RE[kind].search(clause) and not (kind == "injured" and _INJ_PHRASE.search(clause)):
        return None
    ages = len(_AGE.findall(clause))
    if ages and _INCLUDED.search(clause):
        return None  # "the wounded included an 8-year-old child": one of a total given elsewhere
    if ages:
        return ages
    if _ONE[kind].search(clause) and not _PLURAL_VERB[kind].search(clause):
        return 1
    return None


def _things_after(clause: str, end: int) -> bool:
    """"пострадали три дома": the counted noun is not people."""
    w = _WORD.search(clause, end, end + 40)
    return w is not None and _NOT_PEOPLE.match(w.group()) is not None


def _number_first(clause: str, kind: str) -> int | None:
    """"<num> [up to 7 words] injured": the first casualty word after the number decides its kind."""
    for start, end, value in number_spans(clause):
        if _is_age(clause, end) or _SUBCOUNT.match(clause, end) or _NEGATED_NUM.search(clause, 0, start) \
                or MONTH_AFTER.match(clause, end):
            continue
        if VERB_BEFORE.search(clause, max(0, start - 40), start):
            continue  # "killed four people and injured 25": the number belongs to the verb before it
        window = _WINDOW.match(clause, end).group()  # type: ignore[union-attr]  # it matches the empty string too
        for i, w in enumerate(_WORD.finditer(window)):
            if i > 7 or w.group()[0].isdigit() or w.group() in WORD_VALUES:
                break
            word = w.group()
            if _NOT_PEOPLE.match(word) or word in ("among", "среди", "серед"):
                break
            if _INJ_FULL.fullmatch(word) or _INJ_PHRASE.match(window, w.start()):
                if kind == "injured":
                    return value
                break
            if _HOSP_FULL.fullmatch(word):
                if kind == "hospital":
                    return value
                break
            if _KIL_FULL.fullmatch(word):
                if word == "bodies" and not _BODIES_OF.match(window, w.end()):
                    break  # "two government bodies said"
                if kind == "killed":
                    return value
                break
    return None


_BODIES_OF = re.compile(r" (?:of|from|were|have been|had been|under|in the)(?![\w'])")


def _is_age(clause: str, end: int) -> bool:
    return bool(_AGE_AFTER.match(clause[end:end + 24]))


_AGE_AFTER = re.compile(rf"\s*-?\s*(?:year|летн|річн|лет\b|років)|\s*{_BIRTH_YEAR}")


# A count of the killed needs a killed word (or "killing N"); of the injured an injured word, an
# "received injuries" phrase or "injuring N"; tolls and zero statements their own wording.
_GATES = Gates([_KIL_FULL, _NUM_AFTER["killed"], _INJ_FULL, _INJ_PHRASE, _NUM_AFTER["injured"],
                _TOLL["killed"], _TOLL["injured"], _ZERO_BOTH, _ZERO_KILLED, _HOSP_FULL])
_WORD_RE = {"injured": _INJ_RE, "killed": _KIL_RE, "hospital": _HOSP_RE}
_G_KILLED = 1 | 2
_G_INJURED = 4 | 8 | 16
_G_TOLL_KILLED, _G_TOLL_INJURED, _G_ZERO_BOTH, _G_ZERO_KILLED, _G_HOSPITAL = 32, 64, 128, 256, 512
