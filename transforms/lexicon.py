"""Cue words for weapons and event types in English, Russian and Ukrainian.

Every pattern runs on folded text (`transforms.sentences.fold`: lower case, "'" apostrophes, е for ё)
and each family is ONE compiled alternation, so a sentence is scanned once per family however many
words we list. Stems end in `\\w*` where the language inflects; bounded quantifiers only, so there is
no catastrophic backtracking.
"""

from __future__ import annotations

import re

from transforms.literals import Literals

_B = r"(?<![\w'])"  # word start (apostrophes are inside Ukrainian words)
_E = r"(?![\w'])"  # word end


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _alt(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


# --- weapons ---------------------------------------------------------------------------------
DRONE = _alt(
    r"drones?", r"uavs?", r"unmanned (?:aerial|air) (?:vehicles?|systems?)", r"unmanned aircraft",
    r"shahed\w*", r"shahid\w*", r"geran\w*", r"quadcopters?", r"fpv", r"kamikaze", r"loitering munitions?",
    r"беспилотн\w*", r"безпілотн\w*", r"дрон(?:|а|у|ом|е|ы|ов|ам|ами|ах|и|ів|і|ові)", r"бпла", r"бпла\w*",
    r"бла", r"квадрокоптер\w*", r"шахед\w*", r"шахид\w*", r"герань?\w*", r"ланцет\w*", r"fpv-\w+",
    r"дрон\w*-камікадзе", r"дрон\w*-камикадзе", r"камикадзе", r"камікадзе",
)
MISSILE = _alt(
    r"missiles?", r"rockets?", r"iskander\w*", r"kalibr\w*", r"kinzhal\w*", r"kh-\d+\w*", r"tochka-u",
    r"ракет(?:а|ы|у|ой|ою|е|і|и|ам|ами|ах)?", r"ракетн\w*", r"искандер\w*", r"іскандер\w*", r"калибр\w*(?!\s+\d)(?!\s+(?:от|від)\s)",
    r"калібр\w*", r"кинжал\w*", r"кинджал\w*", r"х-\d+\w*", r"точка-у",
    r"баллистик\w*", r"балистик\w*", r"балістик\w*",  # "удар балістикою": a ballistic missile
)
GLIDE_BOMB = _alt(
    r"glide bombs?", r"guided (?:aerial |air )?bombs?", r"aerial bombs?", r"air bombs?", r"bombs?",
    r"kabs?",
    r"авиабомб\w*", r"авіабомб\w*", r"бомб(?:а|ы|у|ой|ами|ах|и|ою|)", r"каб(?:|ы|ов|ами|ом|у|а|ах|и|ів)",
    r"фаб(?:-\d+)?", r"уаб\w*",
)
ARTILLERY = _alt(
    r"artillery", r"mortars?", r"mlrs", r"multiple (?:launch )?rocket (?:launchers?|systems?)", r"howitzers?",
    r"shells?", r"tank fire", r"grad", r"артилл\w*", r"артобстрел\w*", r"артилер\w*", r"миномет\w*",
    r"міномет\w*", r"снаряд\w*", r"рсзо", r"гаубиц\w*", r"гаубиц\w*", r"град(?:а|ом|у)?",
    r"uragan", r"smerch", r"vampire", r"ураган\w*", r"смерч\w*", r"вампир\w*", r"вампір\w*",
    r"multiple[- ]launch rocket (?:systems?|launchers?)", r"залпового (?:огня|вогню)",
)
# Shelling words name no weapon: `artillery` unless the incident also involves something else.
SHELLING = _alt(
    r"shell(?:ed|ing)", r"came under (?:[\w-]+ )?fire", r"under (?:[\w-]+ )?fire", r"обстрел\w*", r"обстріл\w*",
    r"под (?:[\w'-]+ )?огнем", r"під (?:[\w'-]+ )?вогнем", r"под огонь", r"під вогонь",
    r"fired (?:(?:[\w-]+ ){0,5}?\d+ times )?(?:at|on|upon)", r"opened fire (?:at|on)",
)
# Not weapons although they contain the words: air-defence missiles, launchers, bombers.
WEAPON_STOP = re.compile(
    _B + _alt(
        r"(?:зенитн|зенітн|протиповітрян|противовоздушн)\w* ракетн\w*", r"anti-aircraft missiles?",
        r"air[- ]defen[cs]e missiles?", r"surface-to-air missiles?", r"missile defen[cs]e",
        r"ракетн\w* (?:комплекс|систем|підрозділ|подраздел|войск|військ|щит)\w*", r"rocket launchers?",
        r"missile (?:systems?|launchers?|units?|troops|forces|test|launch)", r"drone (?:production|makers?|manufactur\w*)",
        r"бомбардир\w*", r"бомбардув\w*", r"interceptor drones?", r"дрон\w*-перехоплювач\w*", r"car bombs?",
        r"(?:самодельн\w* )?взрывн\w* устройств\w*", r"вибухов\w* пристр\w*", r"explosive devices?",
        # a multiple rocket launcher's rockets are artillery ("53 Grad rockets"), not missiles
        r"(?<=grad )rockets?", r"(?<=mlrs )rockets?", r"(?<=uragan )rockets?", r"(?<=smerch )rockets?",
        r"(?<=vampire )rockets?", r"(?<=launch )rocket (?:systems?|launchers?)",
    ) + _E
)
AIR_STRIKE = "air_strike"  # a pseudo-weapon, never written out (see merge.to_dict)
WEAPON_PATTERNS: dict[str, re.Pattern[str]] = {
    "drone": re.compile(_B + DRONE + _E),
    "missile": re.compile(_B + MISSILE + _E),
    "glide_bomb": re.compile(_B + GLIDE_BOMB + _E),
    "artillery": re.compile(_B + ARTILLERY + _E),
    # An air strike names no munition: alone it leaves the weapon unknown, beside shelling it mixes.
    AIR_STRIKE: re.compile(_B + _alt(r"airstrikes?", r"air strikes?", r"air raids?", r"авиаудар\w*", r"авіаудар\w*",
                                      r"авиационн\w* удар\w*", r"авіаційн\w* удар\w*") + _E),
}
SHELLING_RE = re.compile(_B + SHELLING + _E)
# Anything that can be counted as "the weapons the incident is about" (incl. unnamed aerial targets).
TARGETS = _alt(r"targets?", r"цел(?:ей|и|ь)", r"ціл(?:ей|і|ь)")
COUNTABLE_RE = re.compile(
    _B + _alt(DRONE, MISSILE, GLIDE_BOMB, r"shells?", r"rounds?", r"снаряд\w*", r"мин(?:ы|у|ами)?", TARGETS)
    + _E
)
# Counted impacts/rounds: "6 прилетов", "fired 18 times", "5 влучань".
IMPACTS_RE = re.compile(
    _B + _alt(r"прил[её]т\w*", r"прильот\w*", r"влучан\w*", r"hits", r"impacts?", r"times",
              r"strikes", r"раз(?:а|и|ів)?", r"взрыв\w*", r"вибух\w*", r"explosions?", r"удар(?:а|ов|ы|и|ів)") + _E
)
# Singular weapon nouns: "a drone", "керованою авіабомбою", "беспилотника" -> one weapon.
SINGULAR_RE = re.compile(
    _B + _alt(
        r"(?:a|an|one|another) (?:[\w-]+ ){0,3}(?:drone|uav|missile|rocket|bomb|shahed|unmanned aerial vehicle|"
        r"s-300|s-400|iskander(?:-m)?|kinzhal|kalibr|kh-\d+\w*|tochka-u)"
        r"(?! attack| strike| raid| threat| alert| danger| operator| unit| production| warning| alarm"
        r"| debris| wreckage| defen| system| launcher| program| industry| war| campaign| fragment| part)",
        r"беспилотник(?:|а|у|ом|е)", r"беспилотн(?:ый|ого|ое|ому|ым) (?:летательн\w+ аппарат\w*|средств\w*)",
        r"дрон(?:|а|у|ом|е)", r"ракет(?:а|у|ой|ою)", r"авиабомб(?:а|у|ой)", r"авіабомб(?:а|у|ою|і)",
        r"безпілотник(?:|а|у|ом|ові)", r"безпілотн(?:ий|ого|е|ому|им) (?:літальн\w+ апарат\w*|засіб\w*)",
    ) + _E
)
# An indeclinable "БПЛА" is singular by its agreement: "вражеский БПЛА", "был сбит БПЛА". Kept apart
# from SINGULAR_RE because its leading word has no literal to gate on; run only where "бпла"/"бла" occurs.
SINGULAR_BPLA_RE = re.compile(
    _B + _alt(
        r"[а-яіїєґ'-]+(?:ый|ий|ой|ого|ому|ым|ім) (?:бпла|бла)",
        r"(?:сбит|уничтожен|перехвачен|подавлен|обнаружен|збит(?:ий)?|знищен(?:ий)?) (?:[а-яіїєґ'-]+ ){0,2}(?:бпла|бла)",
    ) + _E
)

# --- events ----------------------------------------------------------------------------------
# "an intercepted call", "перехват переговоров": intelligence, not air defence.
_NOT_COMMS = (r"(?!\s(?:\w+\s)?(?:audio|calls?|communications?|conversations?|radio|recordings?|messages?|phone|"
              r"video|footage|feeds?|переговор|разговор|звонк|аудио|видео|изображен|розмов|перемов|дзвінк|аудіо|"
              r"відео|зображен))")
# Interception verbs that need no weapon nearby.
INTERCEPT_STRONG = re.compile(
    _B + _alt(
        r"shot down", r"shoot(?:ing|s)? down", r"shoot-?downs?", r"(?:shot|shoot(?:ing|s)?) (?:it|them|(?:the|both|all) \w+) down", r"downed", r"brought down", r"bring(?:ing|s)? down", r"intercept(?!or)\w*" + _NOT_COMMS, r"neutrali[sz]\w*",
        r"repel\w* (?:an? |the )?(?:\w+ )?(?:attack|assault|raid)\w*",
        r"(?:thwart|foil)\w* (?:an? |the )?(?:attempted )?(?:[\w-]+ )?(?:attack|strike|raid)\w*", r"air defen[cs]es? (?:\w+ ){0,2}(?:activated|engaged|repelled)",
        r"сбит\w*", r"сбил\w*", r"сбива\w*", r"перехват\w*" + _NOT_COMMS, r"перехвач\w*" + _NOT_COMMS, r"нейтрализ\w*",
        r"отраж\w* (?:\w+ )?(?:атак|налет)\w*", r"отразил\w* (?:\w+ )?(?:атак|налет)\w*",
        r"збит(?!к)\w*", r"збил\w*", r"збив\w*", r"перехопл\w*" + _NOT_COMMS, r"перехопи\w*" + _NOT_COMMS, r"знешкод\w*", r"обезвре[жд]\w*",
        r"відбил\w* (?:\w+ )?атак\w*", r"відбива\w* (?:\w+ )?атак\w*", r"приземлен\w*",
    ) + _E
)
# "destroyed"/"уничтожены"/"знищено" mean interception only when a weapon or target is close by.
INTERCEPT_DESTROY = re.compile(
    _B + _alt(r"(?<!the )(?<!an )(?<!a )destroy(?:ed|ing|s)?", r"уничтож(?!ени)(?:ен|ил|ал|ают|ает|им|ат)\w*",
              r"знищ(?!енн)(?:ен|ил|ив|ує|ують|ува|ено|ені)\w*",
              r"нищ(?:ил|ув|ив|ать|ат)\w*", r"suppress(?:ed|ing)", r"подавлен\w*", r"подавил\w*",
              r"ліквідува\w*", r"ликвидирова\w*", r"eliminated") + _E
)
# Participles of "shoot down" that, next to debris words, describe the debris ("a downed drone").
DEBRIS_RE = re.compile(
    _B + _alt(
        r"debris", r"wreckage", r"fragments? of (?:an? |the )?(?:[\w-]+ ){0,2}(?:drones?|uavs?|missiles?|rockets?|shaheds?)",
        r"(?:drone|uav|missile|rocket) fragments?", r"обломк\w*", r"обломок", r"уламк(?!ов)\w*", r"уламок",  # not "уламкове поранення", a shrapnel wound
        r"осколк\w* (?:от )?(?:сбит|збит)\w*", r"фрагмент\w* (?:\w+ )?(?:беспилотн|бпла|дрон|ракет|безпілотн|шахед)\w*",
    ) + _E
)
FALL_RE = re.compile(_B + _alt(r"crash\w*", r"fell", r"fall\w*", r"упал\w*", r"упав\w*", r"впал\w*", r"впав",
                               r"рухнул\w*", r"падени\w*", r"падінн\w*") + _E)
# Strike cues. Strong: a hit, a shelling, an attack verb with an object. Weak: the noun "attack",
# which needs damage or casualties in the same sentence.
STRIKE_STRONG = re.compile(
    _B + _alt(
        r"hit", r"hits", r"hitting", r"struck", r"striking", r"strikes? (?:on|at|against)", r"attacked",
        r"shelled", r"bombed", r"came under", r"fired (?:\w+ ){0,3}?(?:at|on|upon)", r"fired (?:[\w-]+ ){0,5}?\d+ times (?:at|on|upon)", r"(?:crash|slamm|smash|plough|plow)(?:ed|es|ing)? (?:\w+ly )?into",
        r"(?:були|був|була|було|был[аио]?|оказал\w*|опинил\w*|потрапил\w*|попал\w*) (?:під|под) (?:обстріл|обстрел)\w*",
        r"(?:під|под) (?:обстріл|обстрел)\w* (?:були|був|була|було|был[аио]?|оказал\w*|опинил\w*)",
        r"(?:опинил\w*|оказал\w*|перебувал\w*|находил\w*|потрапил\w*|попал\w*) (?:під|под) (?:[\w'-]+ )?(?:вогн|огн|обстріл|обстрел)\w*",
        r"(?:під|под) (?:[\w'-]+ )?(?:вогнем|огнем|обстріл(?:ом|ами)|обстрел(?:ом|ами))(?: (?:та|и|і|й) [\w'-]+)? (?:опинил|оказал|перебувал|находил)\w*",
        # "Восемь ударов управляемыми авиабомбами пришлись по Степногорску", "Пять ударов из РСЗО нанесены по"
        r"удар(?:ов|ы|а|ів|и)? (?:[\w'-]+ ){0,3}?(?:пришл\w*|пришёлся|пришелся|нанесен\w*|припал\w*|припали|завдан\w*) (?:по|на)",
        r"(?:обстрел|обстріл)\w* [-–—] по",
        r"were fired", r"opened fire", r"hit by", r"открыли огонь", r"відкрили вогонь",
        r"dropped",
        r"ударил\w*", r"ударили", r"удар(?:|а|у|ом|е|ы|ов|ами|ах)(?: \w+)? (?:по|на)", r"нанесен\w* (?:\w+ )?удар\w*", r"под удар\w*", r"нанес\w* (?:\w+ )?удар\w*",
        r"атаковал\w*", r"атакуют", r"атакует", r"обстрелял\w*", r"обстрелян\w*", r"прил[её]т\w*", r"попадани\w*",
        r"сбросил\w*", r"сбросили", r"попал\w* под \w+", r"налет\w*",
        # "два дрона попали в здания магазина", "дрон потрапив у житловий будинок"
        r"(?:попал\w*|потрапи\w*) (?:в|во|у|по) (?:[\w-]+ )?(?:здани|дом|жил|многоэтаж|багатоповерх|склад|объект|об'єкт|"
        r"предприяти|підприємств|территори|територі|помещени|приміщен|автомобил|автомобіл|машин|гараж|магазин|школ|"
        r"будин|будівл|крыш|дах)\w*",
        r"вдарил\w*", r"вдарили", r"вдарив", r"ударив", r"ударила", r"ударило", r"вдарило",
        r"целью (?:\w+ ){0,2}стал\w*", r"выпустил\w* (?:[\w'-]+ ){0,5}?по", r"випустил\w* (?:[\w'-]+ ){0,5}?по", r"launched at",
        r"(?:выпущен|випущен)\w* (?:[\w'-]+ ){0,5}?по", r"по (?:[\w'-]+ ){1,3}?(?:выпущен|випущен)\w*", r"під прицілом", r"под прицелом", r"удар(?:|у|ом|і|и|ів|ами)(?: \w+)? (?:по|на)", r"завдано (?:\w+ )?удар\w*", r"завдал\w* \w*\s?удар\w*", r"під удар\w*", r"під (?:ворож\w+ |російськ\w+ |масован\w+ |артилерійськ\w+ )?обстріл\w* (?:перебува|опинил|потрапи)\w*",
        r"под (?:вражеск\w+ |российск\w+ |массированн\w+ |артиллерийск\w+ )?обстрел\w* (?:находил|оказал|попа)\w*",
        r"атакува\w*", r"атакує", r"атакують", r"обстріля\w*", r"прилетіл\w*", r"прильот\w*", r"влуч\w*",
        r"скину\w*", r"зазнал\w* (?:\w+ )?(?:удар|обстріл)\w*", r"поцілил\w*", r"поцілив",
        # The military's "hit" ("Сили оборони уразили НПЗ", "поражены склады"); not "вразили"/"поразил",
        # which also mean "impressed".
        r"уразил\w*", r"уразив", r"уражен(?:о|і|а|ий|их|ими|ого|ому|ої|у)?", r"поражены", r"поражено",
        r"(?:підтвердил\w*|підтвердив|підтверджено|підтверджу\w*|зафіксовано|подтвердил\w*|подтверждено|подтвержда\w*) "
        r"(?:ураження|поражение)",
        r"атакован\w*", r"відпрацювал\w* по", r"отработал\w* по",
        r"(?:авіа|авиа)удар\w* (?:[\w'-]+ )?(?:по|на)",
        r"під атакою", r"под атакой", r"under (?:an? )?(?:[\w-]+ )?attack",
        r"(?:destroyed|damaged) by (?:[\w-]+ ){0,3}?(?:drones?|uavs?|missiles?|rockets?|bombs?|shells?)",
        r"(?:subjected|exposed) to (?:[\w,-]+ ){0,6}?(?:shelling|attacks?|strikes?|airstrikes?|fire|bombardment|terror)",
        r"подверг\w* (?:[\w-]+ ){0,3}?(?:обстрел|удар|атак|бомбардировк)\w*",
        r"піддал\w* (?:[\w-]+ ){0,3}?(?:обстріл|удар|атак|бомбардуванн)\w*",
        r"(?:обстріл|удар|атак|бомбардуванн)\w* (?:[\w'-]+ ){0,3}?піддал\w*",
        r"(?:обстрел|удар|атак|бомбардировк)\w* (?:[\w'-]+ ){0,3}?подверг\w*",
        # "Гатив по Нікополю", "Потерпали райцентр і громади": the regional chiefs' words for being hit
        r"гатил\w*", r"гатив", r"гатять", r"гатить", r"потерпал\w*",
        r"(?:attack|strike)s? (?:\w+ )?(?:occurred|took place|happened)",
        # the channels' "drones paid a visit": only with the weapon beside the verb
        r"(?:завітал\w*|навідал\w*|наведал\w*) (?:[\w'-]+ ){0,3}?(?:бпла|дрон\w*|безпілотник\w*|беспилотник\w*)",
        r"(?:бпла|дрон\w*|безпілотник\w*|беспилотник\w*) (?:[\w'-]+ ){0,2}?(?:завітал\w*|навідал\w*|наведал\w*)",
        r"б[’'ʼ]?ють по", r"бьют по",
        # "the bombs fell Saturday night on the district": munitions that fall on a place hit it
        r"(?:bombs?|missiles?|shells?|rockets?|kabs?) (?:\w+ ){0,3}?(?:fell|landed) (?:\w+ ){0,3}?(?:on|in|at)",
        r"(?:бомб\w*|ракет\w*|снаряд\w*|каб\w*) (?:[\w'-]+ ){0,2}?(?:упал\w*|упав\w*|впал\w*|впав\w*) (?:[\w'-]+ ){0,2}?(?:на|в|у|по)",
        r"(?:ракет|снаряд|дрон|беспилотник|бпла|каб|бомб|шахед)\w* (?:[\w-]+ )?попал\w* (?:в|по|на)",
        r"(?:ракет|снаряд|дрон|безпілотник|бпла|каб|бомб|шахед)\w* (?:[\w'-]+ )?потрапил\w* (?:в|у|по|на)",
        # "used FPV drones and artillery against X", "застосовував FPV-дрони": the weapons were fired
        r"(?:used|застосову\w*|застосував\w*|применял\w*|применил\w*|применяют) (?:[\w'-]+ ){0,3}?"
        r"(?:drones?|fpv\S*|artillery|mortars?|grad|rockets?|bombs?|кабы?|каби|дрон\w*|бпла|артилер\w*|артиллер\w*|"
        r"міномет\w*|миномет\w*|реактивн\w*)",
    ) + _E
)
# Attack verbs: a strike by themselves, but they say nothing that an interception report would not.
ATTACK_VERB_RE = re.compile(
    _B + _alt(r"attacked", r"attacking", r"targeting", r"атаковал\w*", r"атакуют", r"атакует", r"атакува\w*",
              r"атакує", r"атакують", r"выпустил\w* (?:[\w'-]+ ){0,5}?по", r"випустил\w* (?:[\w'-]+ ){0,5}?по", r"launched at",
              # the place attacked, not what hit it: "came under a drone attack", "під атакою", "атакован"
              r"(?:came )?under (?:an? )?(?:[\w-]+ ){0,2}?attacks?", r"під (?:[\w'-]+ )?атакою", r"под (?:[\w'-]+ )?атакой",
              r"атакован\w*") + _E
)
# Explosions are often only heard: they make a strike when damage or casualties are reported with them.
STRIKE_WEAK = re.compile(_B + _alt(r"attacks?", r"strikes?", r"атак(?:[аиуеоя]\w*)?", r"удар(?:|а|у|ом|е|ы|ов|і|ів)",
                                   r"raids?", r"налет\w*", r"explo\w+", r"взрыв\w*", r"вибух\w*", r"shelling",
                                   r"обстрел\w*", r"обстріл\w*") + _E)
DAMAGE_RE = re.compile(
    _B + _alt(
        r"damag\w*", r"fires?", r"blaze", r"caught fire", r"burn\w*", r"injur\w*", r"wound\w*",
        r"killed", r"killing", r"dead", r"died", r"death toll", r"hospitali[sz]ed", r"casualt\w*", r"victims?", r"shattered", r"hurt",
        r"поврежд\w*", r"повред\w*", r"разруш\w*", r"пожар\w*", r"загорел\w*", r"горел\w*", r"возгоран\w*", r"пострада\w*",
        r"ранен\w*", r"ранил\w*", r"погиб\w*", r"убит\w*", r"выбит\w*",
        r"пошкод\w*", r"зруйн\w*", r"пожеж\w*", r"загор\w*", r"зайнял\w*", r"горить", r"горів", r"горіла",
        r"постражд\w*", r"поранен\w*", r"поранил\w*", r"загин\w*", r"загибл\w*", r"травм\w*", r"понівечен\w*",
        r"вибит\w*", r"знеструм\w*", r"ablaze", r"горит", r"горят", r"полыха\w*", r"пала(?:є|ють|ла|ли|в)",
        r"пробил\w*", r"пробив", r"pierced",
    ) + _E
)

# "reported no hits", "без влучань", "обошлось без разрушений": the places of such a clause were spared.
QUIET_RE = re.compile(
    _B + _alt(
        r"(?:no|not any|without) (?:\w+ ){0,2}(?:hits?|strikes?|impacts?|damage|destruction)",
        r"(?:без|не было|не було|нет|немає|не зафиксирован\w*|не зафіксован\w*) (?:\w+ ){0,1}"
        r"(?:влучан\w*|попадани\w*|прил[её]т\w*|прильот\w*|руйнуван\w*|разрушени\w*|пошкоджен\w*|"
        r"повреждени\w*|наслідк\w*|последстви\w*)",
    ) + _E
)

# --- article structure -------------------------------------------------------------------------
# Once one of these lines appears, the rest is links, tags or comments, not the story.
BOILERPLATE_RE = re.compile(
    r"^\W*" + _alt(
        r"related(?: articles| news| stories)?:?", r"read (?:also|more)", r"see also", r"you may also like",
        r"source link", r"tags?:", r"leave a (?:reply|comment)", r"more (?:news|stories|on (?:this|the) topic)",
        r"(?:other |more )?(?:topics|stories|articles) (?:of interest|you (?:may|might) (?:also )?like)", r"recommended(?: stories)?:?",
        r"editor'?s picks", r"most read", r"trending(?: now)?:?", r"читайте (?:нас|також|также|еще|ще)", r"больше новостей",
        r"більше новин", r"інші новини", r"другие новости",
        r"читайте также", r"читайте також", r"также читайте", r"також читайте", r"читать также",
        r"по теме", r"на тему", r"популярное", r"популярне", r"новости партнеров", r"новини партнерів",
        r"підписуйтесь", r"подписывайтесь",
    ) + r"(?:\W|$)"
)
# Drills: "в ходе учений уничтожили условные воздушные цели", "shot down mock targets during exercises".
EXERCISE_RE = re.compile(_B + _alt(
    r"(?:в ходе|во время|під час|в рамках|у рамках|в ході) (?:[\w-]+ ){0,2}?(?:учени|навчан|тренуван|тренировк)\w*",
    r"(?:учебн|навчальн|условн|умовн)\w* (?:[\w-]+ )?(?:цел|мишен|ціл|мішен)\w*",
    r"during (?:the )?(?:[\w-]+ ){0,2}?(?:drills?|exercises?|training)", r"(?:mock|training|simulated) targets?",
) + _E)
EXERCISE_WORDS = ("учени", "навчан", "тренуван", "тренировк", "учебн", "навчальн", "условн", "умовн", "drill",
                  "exercise", "training", "mock", "simulated")
# A sentence opening this way recalls the past: not news, and it taints the rest of its paragraph.
BACKGROUND_START_RE = re.compile(
    r"^\W*" + _alt(
        r"as a reminder", r"recall that", r"it was (?:earlier|previously) reported",
        r"as (?:[\w'-]+ ){0,4}(?:previously|earlier) reported",
        r"напомним", r"напомню", r"нагадаємо", r"нагадаю", r"ранее сообщалось", r"раніше повідомлялося",
        r"раніше повідомлялось", r"как сообщалось ранее", r"як повідомлялося раніше",
    ) + _E
)
# A lead like this makes the article a period total ("in 2024 ... shot down 7,345 drones"): its sentences
# are background unless they name a day of their own.
_MONTHS_IN = _alt(
    r"january", r"february", r"march", r"april", r"may", r"june", r"july", r"august", r"september",
    r"october", r"november", r"december")
AGGREGATE_RE = re.compile(
    _B + _alt(
        r"(?:в|у) 20\d\d (?:году|році)", r"за 20\d\d (?:год|рік)", r"in 20\d\d" + _E,
        r"за (?:весь |минувший |прошедший |прошлый |этот |минулий |цей |весь )?(?:год|месяц|рік|місяць)" + _E,
        r"с начала (?:этого )?(?:года|месяца)", r"з початку (?:цього )?(?:року|місяця)",
        r"по итогам (?:года|месяца)", r"за підсумками (?:року|місяця)",
        r"(?:over|in|during) the (?:past|last) (?:year|month|12 months)", r"so far this year",
        r"since the (?:start|beginning) of (?:the |this )?year", r"in " + _MONTHS_IN + r"(?! \d)" + _E,
    )
)
# Navigation trails ("Home > News > Odesa > ..."): page chrome, never a sentence of the story.
BREADCRUMB_RE = re.compile(r"\S\s+[>»]\s+\S[^\n]*?\s[>»]\s+\S")  # callers check for '>' or '»' first
# "As reported, on 13 September ...": a recap, background when it dates its event a day or more before
# publication, news when it recaps today's or tonight's events.
RECAP_START_RE = re.compile(
    r"^\W*" + _alt(
        r"as (?:\w+ )?(?:previously |earlier )?reported", r"як (?:раніше |вже )?повідомл\w*", r"как (?:ранее |уже )?сообщ\w*",
        r"как (?:ранее )?писал\w*", r"як (?:раніше )?писал\w*", r"напомним", r"нагадаємо",
    ) + _E
)
BACKGROUND_ANY_RE = re.compile(
    _B + _alt(
        r"last (?:week|month|year)", r"a week ago", r"earlier (?:in the|this) (?:week|month)", r"earlier this year",
        r"(?:a few|several|two|three) days ago", r"на днях", r"несколько дней назад", r"кілька днів тому",
        r"(?:два|три|две|два-три) дня назад", r"(?:два|три|дві) дні тому", r"на прошлой неделе", r"в прошлом месяце",
        r"минулого тижня", r"минулого місяця", r"на минулому тижні", r"в прошлом году", r"минулого року",
        r"previously established", r"ранее сообщалось", r"раніше повідомлял\w*",
        r"since the (?:start|beginning) of (?:the )?(?:war|invasion|full-scale)", r"since february 2022",
        r"с начала (?:войны|вторжения|сво|специальной)", r"з початку (?:війни|вторгнення|повномасштабн)\w*",
        r"за время войны", r"за весь период", r"за роки війни", r"за час війни", r"за годы войны",
        # habitual or period statements: "have been repeatedly attacked", "in recent months", "since the start of September"
        r"ha(?:ve|s) been repeatedly", r"неоднократно", r"неодноразово",
        r"in recent (?:weeks|months)", r"over the (?:past|last) (?:few )?(?:weeks|months)",
        r"(?:in|over|during) the (?:past|last) (?:week|month|year|(?:few|several|two|three) (?:days|weeks))",
        r"за (?:последнюю|прошедшую|минувшую) неделю", r"за (?:останній|минулий) тиждень",
        r"в последние (?:недели|месяцы)", r"останніми (?:тижнями|місяцями)",
        r"since the (?:start|beginning) of " + _MONTHS_IN, r"last " + _MONTHS_IN, r"прошлого (?:года|месяца)",
        # what keeps happening, and who blames whom: "targeted periodically since 2023", "near-nightly
        # bombardment", "accuses Russia of using the border area to launch glide bombs at Kharkiv"
        r"periodically", r"(?:near|almost)[- ]nightly", r"since 20\d\d", r"accus(?:es|ed|ing) (?:\w+ ){0,2}of",
        r"in the (?:autumn|spring|summer|winter|fall)", r"last (?:autumn|spring|summer|winter|fall)", r"has blamed",
        r"периодически", r"с 20\d\d года", r"з 20\d\d року", r"(?:almost|nearly) (?:daily|every day)",
        r"on a daily basis", r"not for the first time", r"не в первый раз", r"не впервые", r"не вперше", r"не в перший раз",
        r"(?:уже |already )?(?:две|три|несколько) недел\w*", r"(?:вже )?(?:два|три|кілька) тижн\w*",
        r"for (?:two|three|several) weeks", r"in (?:a|the) (?:few|several) days", r"over (?:a|the) (?:few|several) days",
        r"за несколько дней", r"за кілька днів",
    ) + _E
)
# A place after these words is where the attack came from, not where it happened.
ORIGIN_BEFORE_RE = re.compile(
    _B + _alt(
        _alt(r"from", r"launched from", r"fled") + r"\s+(?:the\s+)?(?:[\w'-]+\s+){0,5}",
        _alt(r"из", r"з", r"із", r"зі", r"со стороны", r"з боку", r"с территории", r"з території") + r"\s+(?:[\w'-]+\s+)?",
        # "з повітряного простору Бєлгородської області", "from the airspace of the Kursk region"
        _alt(r"(?:з|із|из) (?:повітряного простору|воздушного пространства|акваторії|акватории)",
             r"from (?:the )?(?:airspace|waters) (?:of|over)(?: the)?") + r"\s+",
        _alt(r"(?:с|из|со) (?:[\w'-]+ )?направлени\w*", r"(?:з|із) (?:[\w'-]+ )?напрямк\w*",
             r"from (?:[\w'-]+ )?directions?") + r"[\s:]+(?:[\w'-]+\s+){0,3}",
        # "Напрямки пусків дронів — Брянськ, Орел": the heading of a list of launch areas
        _alt(r"напрямк\w* пуск\w*", r"направлени\w* пуск\w*", r"район\w* пуск\w*", r"launch (?:directions?|areas?|sites?)")
        + r"(?:\s+[\w'-]+){0,3}\s*[-:]\s*",
        # "attacked from the south (Cape Chauda, Crimea)": the launch area in brackets after a direction
        _alt(r"з", r"із", r"с", r"from(?: the)?") + r"\s+" + _alt(
            r"півдня", r"півночі", r"сходу", r"заходу", r"юга", r"севера", r"востока", r"запада", r"south",
            r"north", r"east", r"west", r"південного сходу", r"северо-востока", r"північного сходу",
            r"southeast", r"northeast") + r"\s*\((?:[\w'-]+[\s,]+){0,3}",
    ) + r"$"
)
AUTHORITY_BEFORE_RE = re.compile(
    _B + _alt(
        r"governor of(?: the)?", r"mayor of", r"head of(?: the)?", r"губернатор\w*", r"глав[аыеу]", r"мэр\w*",
        r"мер\w*", r"голов[аиі]", r"начальник\w*", r"очільник\w*",
        r"оперштаб\w*", r"врио губернатора", r"власти", r"влада", r"прокуратур\w*", r"пресс-служб\w*",
        r"пресслужб\w*",
    ) + r"\s+(?:[\w'-]+\s+){0,2}$"
)
AUTHORITY_AFTER_RE = re.compile(
    r"^['’s]*\s*" + _alt(
        r"(?:oblast |regional |region |city )?(?:governor|mayor|military administration|administration|prosecutor|police|"
        r"head|authorities|governor's|ova|oma|rma)", r"ова", r"ода", r"рва", r"мва", r"ога", r"time",
        # "повідомили в Бериславській районній військовій адміністрації": who reports, not where
        r"(?:районн|обласн|міськ|селищн|областн|городск|поселков)\w* (?:військов\w* |державн\w* |военн\w* |"
        r"государственн\w* )?(?:адміністрац|администрац)\w*", r"(?:військов|военн|державн)\w* (?:адміністрац|администрац)\w*",
        r"времени", r"часу", r"по московскому",
    ) + r"(?:'s)?(?![\w'])"
)
NEAR_BEFORE_RE = re.compile(_B + _alt(
    r"под", r"поблизу", r"біля", r"возле", r"около", r"near", r"неподалік", r"недалеко от", r"outside", r"близ",
) + r"\s+$")
# "downed in Ramenskoye, 60km southeast of Moscow": a distance from a reference point (callers check
# for the unit first: the digits it starts with are everywhere).
DISTANCE_BEFORE_RE = re.compile(
    r"\d+\s*(?:km|kilomet(?:re|er)s?|miles?|км|кілометр\w*|километр\w*)\s+(?:(?:to the )?(?:north|south|east|west)\w*\s+)?"
    r"(?:of|from|від|от)\s+$")
DISTANCE_UNITS = ("km", "kilomet", "mile", "км", "кілометр", "километр")
# A drone "heading towards" a place has not reached it: the place is no event place.
HEADING_BEFORE_RE = re.compile(_B + _alt(
    r"летевш\w* (?:на|в|к)", r"летящ\w* (?:на|в|к)", r"летел\w* (?:на|в|к)", r"летіл\w* (?:на|в|до)",
    r"летів\w* (?:на|в|до)", r"flying (?:towards?|to)", r"flew (?:towards?|to)", r"heading (?:for|to|towards)",
    r"headed (?:for|to|towards)", r"в направлении", r"в сторону", r"у напрямку", r"в напрямку",
    r"курсом на", r"рухал\w* (?:на|в|до)", r"attempt(?:ing|ed)? to (?:strike|attack|hit)",
    r"attempted (?:\w+ )?(?:strike|attack) on", r"trying to (?:strike|attack|hit|reach)", r"двигал\w* (?:на|в|к)", r"направлял\w* (?:на|в|к)",
    r"(?:were|was) directed (?:at|towards?)", r"aimed at", r"shielding", r"protecting",
) + r"\s+(?:the\s+)?(?:capital\s+)?(?:(?:city|town|village|города|города-героя|села|міста|села)\s+)?(?:of\s+)?$")
# A capital as the actor or speaker ("Moscow blamed Kyiv", "Kiev said on Wednesday", "Київ заявив").
CAPITAL_ACTOR_AFTER_RE = re.compile(
    r"^['’s]*\s*(?:has |have |had |also |later |then )?(?:repeatedly |again |long |already |previously )?" + _alt(
    r"said", r"says", r"claimed", r"claims", r"blamed", r"blames", r"accused", r"accuses", r"denied", r"denies",
    r"asked", r"asks", r"called (?:on|for)", r"calls (?:on|for)", r"urged", r"urges", r"requested", r"demanded",
    r"warned", r"responded", r"retaliated", r"launched", r"fired", r"did not", r"has not", r"is (?:behind|responsible)",
    r"revis(?:es|ed)", r"reported", r"reports", r"announced", r"announces", r"confirmed", r"confirms", r"admitted",
    r"admits", r"insists", r"insisted", r"acknowledged",
    r"(?:troops|forces|army|soldiers)", r"-backed", r"-installed", r"-appointed",
    r"(?:strikes|attacks|missiles|drones|war|invasion|aggression)",
    r"заявил\w*", r"заявля\w*", r"обвинил\w*", r"обвиня\w*", r"заявив\w*", r"звинуват\w*", r"звинувачу\w*",
    r"запустил\w*", r"запустив", r"выпустил\w*", r"випустив", r"ответил\w*", r"відповів",
) + _E)
CAPITAL_ACTOR_BEFORE_RE = re.compile(_B + _alt(
    r"blamed", r"blaming", r"blames", r"accused", r"accusing", r"accuses", r"обвинил\w*", r"обвиня\w*",
    r"звинуватив\w*", r"звинувачу\w*", r"действи\w*", r"провокаци\w*", r"агресси\w*", r"по вине",
    r"со стороны", r"дій", r"провокаці\w*", r"з боку", r"(?:fired|launched|sent|used) by",
    # "глава подконтрольной Киеву администрации", "Kyiv-controlled": the government, not the city
    r"подконтрольн\w*", r"підконтрольн\w*", r"(?:loyal|subordinate) to", r"controlled by", r"backed by",
) + r"\s+$")
# First names that are also village names ("Олег Крючков", "Ivan Fedorov"): followed by a capitalised word,
# a person. Folded forms; the common names of officials quoted in Russian and Ukrainian news.
FIRST_NAMES = _words("""
олег олега іван иван ивана івана вадим вадима сергей сергій сергея сергія олександр александр олександра
александра андрей андрій андрея андрія владимир володимир владимира володимира виталий віталій виталия
віталія юрий юрій юрия юрія михаил михайло михаила михайла николай микола николая миколи дмитрий дмитро
дмитрия дмитра игорь ігор игоря ігоря роман романа руслан руслана вячеслав вʼячеслав вячеслава
алексей олексій алексея олексія евгений євген евгения євгена павел павло павла богдан богдана максим
максима антон антона денис дениса артем артём артема артёма ярослав ярослава василий василь василия
василя григорий григорій петр петро петра степан степана тарас тараса анатолий анатолій мария марія
марии марії ольга ольги елена олена елены олени наталья наталія ирина ірина ирины ірини светлана
світлана людмила татьяна тетяна анна ганна юлия юлія oleh oleg ivan vadym vadim serhiy sergey sergei
oleksandr alexander andriy andrei volodymyr vladimir vitaliy vitaly yuriy yuri mykhailo mikhail mykola
nikolai dmytro dmitry ihor igor roman ruslan vyacheslav oleksiy alexei alexey yevhen yevgeny pavlo pavel
bohdan maksym maxim anton denys artem yaroslav vasyl taras anatoliy mariya olena natalia iryna svitlana
tetiana yulia
""")
# A place named for its government ("the Kyiv regime", "киевский режим") is not where anything happened.
# A place used for its government, or in an outlet's name ("The Moscow Times", "Kyiv Independent").
GOVERNMENT_AFTER_RE = re.compile(r"^(?:['’s]*\s*" + _alt(r"regime", r"режим\w*", r"junta", r"хунт\w*",
                                                        r"government", r"правительств\w*", r"уряд\w*")
                                 + r"|\s+" + _alt(r"times", r"post", r"independent", r"herald", r"tribune")
                                 + r"|-" + _alt(r"backed", r"controlled", r"installed", r"appointed", r"loyal") + ")" + _E)
REGIONAL_CENTRE_RE = re.compile(_B + _alt(r"обласн\w+ центр\w*", r"областн\w+ центр\w*", r"regional (?:centre|center|capital)",
                                          r"административн\w+ центр\w* (?:области|региона)") + _E)
# Over the sea: a place of its own that is not coded, so the sentence does not borrow the previous place.
SEA_RE = re.compile(_B + _alt(r"акватори\w*", r"над (?:черным|азовским|чорним|азовським) морем", r"над морем",
                              r"over the (?:black|azov) sea", r"over the sea of azov", r"в море", r"у морі") + _E)
# A whole country as the target: country-wide reports, not coded and not tied to the previous place.
COUNTRY_TARGET_RE = re.compile(
    _B + _alt(r"(?:at|on|against|across|over|into) (?:the )?(?:ukraine|russia|russian regions|ukrainian cities)",
              r"по (?:украине|україні|россии|росії)", r"на (?:украину|україну|россию|росію)",
              r"над (?:украиной|україною|россией|росією)", r"по всей (?:украине|стране)", r"по всій (?:україні|країні)",
              r"nationwide", r"across the country", r"по стране",

              # a launch total: "Russia had launched 154 drones and missiles, around half of which ..."
              r"(?:had |has )?launched (?:a total of |at least |more than |over |up to )?\d+",
              r"(?:запустил\w*|выпустил\w*|запустив\w*|випустив\w*|випустил\w*) (?:всего |всього |более |понад )?\d+") + _E)
# "збито 61 БпЛА на півночі, півдні та сході країни": the country's parts (callers check for the country word)
COUNTRY_PARTS_RE = re.compile(
    r"(?:на|в|у|in the) (?:(?:півночі|півдні|сході|заході|центрі|севере|юге|востоке|западе|центре|north|"
    r"south|east|west|centre|center)(?:,? (?:та|і|и|and)? ?)?)+(?:країни|україни|страны|украины|of the country)")
COUNTRY_WORDS = ("країни", "україни", "страны", "украины", "of the country")
# Whose air defence: an interception happens over the defender's own territory.
DEFENDER_UA_RE = re.compile(
    _B + _alt(r"ukraine's (?:military|air force|army|armed forces|forces|air defen[cs]es?)",
              r"ukrainian (?:military|air force|air defen[cs]es?|forces)", r"повітряні сили", r"повітряних сил",
              r"зсу", r"ппо україни", r"сили оборони", r"воздушные силы всу", r"вс украины",
              r"українськ\w* (?:ппо|протиповітрян\w+ оборон\w*)", r"украинск\w* (?:силы )?пво") + _E)
DEFENDER_RU_RE = re.compile(
    _B + _alt(r"russia's (?:defen[cs]e ministry|military|army|air defen[cs]es?)",
              r"russian (?:defen[cs]e ministry|air defen[cs]es?|military)", r"минобороны (?:россии|рф)",
              r"пво (?:россии|рф)", r"міноборони (?:росії|рф)", r"российские военные") + _E)
TIME_AFTER_RE = re.compile(r"^\s*" + _alt(r"time", r"времени", r"часу") + _E)
STREET_RE = re.compile(_B + _alt(r"ул\.?", r"улиц\w*", r"вул\.?", r"вулиц\w*", r"проспект\w*", r"просп\.?",
                                 r"шоссе", r"шосе", r"street", r"avenue") + r"\s*$")
STREET_AFTER_RE = re.compile(r"^\s*" + _alt(r"street", r"st\.", r"avenue", r"ave\.", r"улиц\w*", r"вулиц\w*",
                                            r"шоссе", r"шосе", r"проспект\w*") + _E)
# Additive wording: "four more drones", "ещё два", "earlier in the day".
ADDITIVE_RE = re.compile(_B + _alt(r"more", r"another", r"additional", r"earlier", r"later", r"еще", r"ещё",
                                   r"ще", r"до этого", r"перед этим", r"затем", r"позже", r"пізніше",
                                   r"згодом") + _E)
# A count that is not exact.
INEXACT_BEFORE_RE = re.compile(
    _B + _alt(r"over", r"more than", r"about", r"around", r"approximately", r"nearly", r"almost", r"up to",
              r"some", r"dozens of", r"около", r"более", r"свыше", r"почти", r"порядка", r"до", r"понад",
              r"близько", r"майже", r"більше", r"приблизно", r"десятки", r"около", r"больше", r"більш ніж",
              r"более чем") + r"\s+$"
)
MODAL_BEFORE_RE = re.compile(
    _B + _alt(r"can", r"could", r"may", r"might", r"would", r"will", r"capable of", r"(?<!managed )(?<!was able )(?<!were able )to", r"in order to",
              r"чтобы", r"щоб", r"аби", r"намагаючись", r"пытаясь", r"trying to", r"plans? to", r"может", r"могут",
              r"способн\w*", r"може", r"можуть", r"здатн\w*", r"могли", r"могла", r"мог") + r"\s+(?:[\w'-]+\s+)?$"
)
# "Russia is preparing a new massive strike on Kyiv": a strike announced or feared, not one that happened.
PLANNED_BEFORE_RE = re.compile(
    _B + _alt(r"prepar(?:es|ing|ed)(?: for)?", r"plans?", r"planning", r"threaten(?:s|ed|ing)?(?: with)?",
              r"готов\w*", r"готу\w*", r"планиру\w*", r"плану\w*", r"угрожа\w*", r"погрожу\w*")
    + r"\s+(?:[\w'-]+\s+){0,3}$"
)
# A nation-wide report ("Ukraine's air force said it downed 52 of 70 drones") is about no one region: with no
# word pointing back to one ("over the region"), it does not borrow the places of the sentence before.
NATIONAL_AUTHORITY_RE = re.compile(
    _B + _alt(r"air force", r"defen[cs]e ministry", r"ministry of defen[cs]e", r"general staff",
              r"повітрян\w* сил\w*", r"генштаб\w*", r"генеральн\w* штаб\w*", r"міноборон\w*", r"минобороны",
              r"министерств\w* обороны", r"міністерств\w* оборони", r"вкс", r"пс зсу") + _E
)
REGION_ANAPHOR_RE = re.compile(
    _B + _alt(r"the (?:region|oblast|city|area)", r"there", r"(?:над |в |у |по )?(?:област|регион|регіон|город|міст)\w*",
              r"там", r"тут") + _E
)
# Bomb disposal: sappers who "neutralise" or "destroy" an unexploded bomb report no interception.
DISPOSAL_RE = re.compile(
    _B + _alt(r"sappers?", r"deminers?", r"bomb (?:disposal|squad)", r"explosive ordnance", r"unexploded",
              r"сапер\w*", r"пиротехник\w*", r"піротехнік\w*", r"взрывотехник\w*", r"вибухотехнік\w*",
              r"неразорвав\w*", r"нерозірван\w*", r"вибухонебезпечн\w*", r"взрывоопасн\w*",
              # an unknown object or a mine that went off: no attack reported
              r"(?:unidentified|unknown|explosive) (?:object|device)s?", r"landmines?", r"anti-personnel mines?",
              r"невідом\w* предмет\w*", r"неизвестн\w* предмет\w*", r"підірвал\w* на міні", r"подорвал\w* на мине",
              r"вибух\w* міни", r"взрыв\w* мины") + _E
)
# Aircraft as the thing shot down (not the instrument: "літаками-винищувачами", "by fighter jets").
AIRCRAFT_RE = re.compile(
    r"(?<![\w'])(?<!by )" + _alt(
        r"(?:fighter )?jets?", r"aircraft", r"planes?", r"helicopters?", r"su-\d+\w*", r"mig-\d+\w*", r"ka-52",
        r"самол[её]та?", r"вертол[её]та?", r"літака?", r"гелікоптера?", r"вертоліт", r"вертольота", r"су-\d+",
        r"миг-\d+", r"ка-52",
    ) + _E
)
ANAPHOR_START_RE = re.compile(
    r"^\W*" + _alt(r"all of them", r"it", r"they", r"вона", r"вони", r"воно", r"она", r"они", r"оно",
                   r"усі вони", r"все они", r"всі вони", r"two of them", r"one of them") + _E
)
# A sentence that only names the places of the one before: "These are the X and Y districts."
LIST_INTRO_RE = re.compile(r"^\W*(?:это|це|these (?:are|were)|they (?:are|were)|among them|серед них|среди них|"
                           r"зокрема|в том числе|у тому числі|в тому числі|including)(?![\w'])")
LIST_ITEM_RE = re.compile(r"^\s*(?:[-•▪*·–—]|\d+[.)]\s)")

# --- keyword stems for one Aho-Corasick pass -------------------------------------------------------
# Regex alternations cost time per character and per alternative; an automaton of stems costs one pass.
# `CANDIDATE_STEMS` decide whether an article can report an air-war incident at all; `HOT_STEMS` mark the
# sentences worth the full analysis (cue, casualty, damage or weapon words).
CANDIDATE_STEMS = (
    "drone", "uav", "unmanned", "shahed", "shahid", "missile", "rocket", "shelling", "shelled", "artillery",
    "bomb", "air defen", "shot down", "intercept", "debris", "wreckage",
    "mortar", "kamikaze", "airstrike", "air strike",
    "беспилот", "бпла", "дрон", "ракет", "обстрел", "артилл", "авиабомб", "пво", "сбит", "сбил", "обломк",
    "шахед", "герань", "каб ", "каб,", "каб.", "каб;", "кабы", "кабами", "кабом", "кабов", "миномет", "снаряд", "рсзо", "прилет", "прилёт",
    "безпілот", "обстріл", "артилер", "авіабомб", "ппо", "збит", "збил", "уламк", "міномет", "прильот",
    "прилетіл", "влучан", "авиаудар", "авіаудар", "камикадзе", "камікадзе", "атакував", "атакувал", "атаковал",
    "под удар", "під удар", "attacked", "shelled", "airstrike", "shells",
    "strike on", "strikes on", "attack on", "attacks on", "struck", "баллистик", "балистик", "балістик", "атака на",
    "фаб-", "уаб-", "fab-", "kab-", "скинул", "скинув", "скинули", "сбросил", "атак", "strike", "атаки на", "атаку на", "атаке на",
    "атаці на", "атаку по", "удара по", "ударе по", "ударом по", "ударі по",
    "уразил", "уразив", "уражен", "поражены", "поражено",
    "завдано удар", "завдали удар", "нанесли удар", "нанесен удар", "удару по", "удар по", "удары по",
    "атакован", "відпрацювал", "отработал", "subjected to", "exposed to", "подверг", "піддал",
    "fired at", "fired on", "fired upon", "opened fire", "times at", "times on",
    "гатил", "гатив", "гатять", "гатить", "потерпал", "завітал", "навідал", "наведал", "б’ють по", "б'ють по", "бʼють по", "бють по", "бьют по",
)
WEAPON_BIT, CUE_BIT, CAS_BIT, DAMAGE_BIT = 1, 2, 4, 8
_WEAPON_STEMS = (
    "drone", "uav", "unmanned", "shahed", "shahid", "missile", "rocket", "artillery", "bomb", "mortar", "kamikaze",
    "airstrike", "air strike", "air raid", "shell", "round", "target", "grad", "howitzer", "uragan", "smerch", "vampire", "ураган", "смерч", "вампир", "вампір", "mlrs", "iskander",
    "kalibr", "kinzhal", "kh-", "fpv", "баллистик", "балистик", "балістик", "quadcopter", "geran", "беспилот", "бпла", "бла", "дрон", "ракет",
    "артилл", "авиабомб", "шахед", "шахид", "герань", "герані", "каб", "фаб", "уаб", "бомб", "миномет", "снаряд",
    "рсзо", "град", "гаубиц", "безпілот", "артилер", "авіабомб", "міномет", "авиаудар", "авіаудар", "камикадзе",
    "камікадзе", "искандер", "іскандер", "калибр", "калібр", "кинжал", "кинджал", "х-", "квадрокоптер", "ланцет",
    "цел", "ціл", "мин", "обстрел", "обстріл", "прилет", "прилёт", "прильот", "влучан", "hits", "impact", "times",
    "раз", "взрыв", "вибух", "explosion",
)
_CUE_STEMS = (
    "shot down", "shoot", "downed", "brought down", "bring down", "brings down", "bringing down", "intercept",
    "neutrali", "repel", "thwart", "foil", "destroy", "suppress", "air defen", "hit", "struck", "strik", "attack", "shell", "bomb", "explo", "dropped", "target", "launched", "debris", "wreckage",
    "fragment", "crash", "fired", "slamm", "smash", "plough", "plow", "fell", "fall", "came under", "under fire", "opened fire", "открыли огонь", "відкрили вогонь", "подавил", "поцілил", "поцілив", "damaged by", "raid",
    "сбит", "сбил", "сбива", "перехват", "перехвач", "нейтрализ", "отраж", "отрази", "уничтож", "подавл",
    "поражен", "пво", "збит", "збил", "збив", "перехопл", "перехопи", "знешкод", "обезвре", "відбил", "відбива", "знищ",
    "нищ", "ураж", "ураз", "атакован", "відпрацювал", "отработал", "subjected", "exposed", "подверг", "піддал", "гати", "гатя", "потерпал", "завітал", "навідал", "наведал", "бють", "б’ють", "б'ють", "бʼють", "бьют", "used", "застосов", "застосув", "применя", "применил", "ппо", "удар", "атак", "обстрел", "обстріл", "прилет", "прилёт", "прильот", "прилетіл",
    "попадан", "попал", "взрыв", "вибух", "сбросил", "скину", "налет", "влуч", "вдари", "целью", "прицел",
    "прицілом", "выпустил", "випустил", "выпущен", "випущен", "обломк", "обломок", "уламк", "уламок", "осколк", "фрагмент", "упал",
    "упав", "впал", "впав", "рухнул", "падени", "падінн", "приземл", "сработал", "спрацювал", "працювал",
    "работал", "зазнал", "под огн", "під вогн", "под огон", "під вогон", "завдал", "завдано", "нанес",
    "ліквідув", "ликвидир", "eliminat",
)
_CAS_STEMS = (
    "killed", "killing", "dead", "died", "death", "fatalit", "injur", "wound", "hurt", "harmed", "casualt", "victim", "bodies",
    "lives", "погиб", "убит", "ранен", "ранил", "пострада", "скончал", "помер", "умер", "succumb", "травм", "жертв", "выжил", "загин", "загибл",
    "поранен", "поранил", "постражда", "реакці", "госпитализ", "госпіталіз", "hospitali", "to hospital", "в больниц",
    "до лікарн", "тела", "вбит", "потерпіл", "потерпевш", "treated for", "cut by",
)
_DAMAGE_STEMS = (
    "damag", "fire", "blaze", "burn", "shatter", "поврежд", "повред", "разруш", "пожар", "горел", "загорел", "возгоран",
    "выбит", "пошкод", "зруйн", "пожеж", "загор", "зайнял", "горить", "горів", "горіла", "понівечен", "вибит",
    "знеструм", "ablaze", "горит", "горят", "полыха", "палає", "палають", "палала", "палали", "палав",
    "пробил", "пробив", "pierced",
)


def _stem_bits(groups: dict[int, tuple[str, ...]]) -> dict[str, int]:
    """Each stem with the bit mask of the groups it is in."""
    bits: dict[str, int] = {}
    for bit, stems in groups.items():
        for stem in stems:
            bits[stem] = bits.get(stem, 0) | bit
    return bits


CANDIDATE_WORDS = Literals(dict.fromkeys(CANDIDATE_STEMS, 1))
HOT_STEMS = _stem_bits({WEAPON_BIT: _WEAPON_STEMS, CUE_BIT: _CUE_STEMS, CAS_BIT: _CAS_STEMS, DAMAGE_BIT: _DAMAGE_STEMS})
