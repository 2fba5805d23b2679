"""Event dates from the article's own words, anchored on the publication date.

News dates events relative to publication ("overnight", "вчора", "on Monday") or explicitly
("14 May", "в ночь на 14 мая"). An explicit date well before publication marks a recalled
event (background), which the extractor drops. Without a publication date, a day-month with no
year cannot be placed in time, so the precision stays 'unknown'.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from transforms.gates import Gates
from transforms.literals import Literals

_MONTHS: dict[str, int] = {}
for _i, _forms in enumerate([
    "january jan января январе январь січня січні січень",
    "february feb февраля феврале февраль лютого лютому лютий",
    "march mar марта марте март березня березні березень",
    "april apr апреля апреле апрель квітня квітні квітень",
    "may мая мае май травня травні травень",
    "june jun июня июне июнь червня червні червень",
    "july jul июля июле июль липня липні липень",
    "august aug августа августе август серпня серпні серпень",
    "september sep sept сентября сентябре сентябрь вересня вересні вересень",
    "october oct октября октябре октябрь жовтня жовтні жовтень",
    "november nov ноября ноябре ноябрь листопада листопаді листопад",
    "december dec декабря декабре декабрь грудня грудні грудень",
], start=1):
    for _f in _forms.split():
        _MONTHS[_f] = _i
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})(?![\w])(?:,?\s+(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"(?<![\w])({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"(?<![\w\d])({_MONTH})\.?,?\s+(\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_YESTERDAY = re.compile(r"(?<![\w])(?:yesterday|вчера|вчора|накануне|напередодні|учора)(?![\w])")
_TODAY = re.compile(
    r"(?<![\w])(?:today|tonight|this morning|overnight|last night|at night|сегодня|этой ночью|ночью|"
    r"сьогодні|вночі|уночі|цієї ночі|минулої ночі|минувшей ночью|this night)(?![\w])"
)
_WEEKDAYS = {
    0: "monday понедельник понедельника понеділок понеділка",
    1: "tuesday вторник вторника вівторок вівторка",
    2: "wednesday среду среда середу середа",
    3: "thursday четверг четверга четвер четверга",
    4: "friday пятницу пятница пятниці п'ятницю п'ятниця",
    5: "saturday субботу суббота суботу субота",
    6: "sunday воскресенье неділю неділя",
}
_WEEKDAY_OF = {f: d for d, forms in _WEEKDAYS.items() for f in forms.split()}
_WEEKDAY = re.compile(r"(?<![\w'])(" + "|".join(sorted(_WEEKDAY_OF, key=len, reverse=True)) + r")(?![\w'])")


_RELATIVE = Gates([_YESTERDAY, _WEEKDAY])
_DIGIT = re.compile(r"\d")
_DIGIT_END = re.compile(r"\d\s*$")
_NUMERIC_HINT = re.compile(r"\d[.-]\d")  # in every numeric date; cheap to look for, unlike `_NUMERIC`


_MONTH_WORDS = Literals(dict.fromkeys(_MONTHS, 1))


def explicit_dates(folded: str, published: date | None) -> list[date]:
    """Day-month dates in the text; the year comes from the text or else the publication date."""
    out: list[date] = []
    if not _DIGIT.search(folded):  # every date pattern needs a digit
        return out
    if _has_month(folded):
        _worded_dates(folded, published, out)
    for m in _NUMERIC.finditer(folded) if _NUMERIC_HINT.search(folded) else ():
        if m.group(1):
            _add(out, m.group(3), int(m.group(2)), m.group(1), published)
        else:
            _add(out, m.group(4), int(m.group(5)), m.group(6), published)
    return out


def _day_words() -> dict[str, int]:
    kinds: dict[str, int] = {}
    for form in _MONTHS:
        kinds[form] = kinds.get(form, 0) | DAY_MONTH
    for form in _WEEKDAY_OF:
        kinds[form] = kinds.get(form, 0) | DAY_WEEKDAY
    return kinds


DAY_MONTH, DAY_WEEKDAY = 1, 2
# Month and weekday words (folded) with their kind bits: the extractor finds them in its one automaton
# pass over the article, so that the month and weekday checks run only in the sentences that hold one
# (the checks read the words again themselves). Every month and weekday pattern starts at a word start.
DAY_WORDS: dict[str, int] = _day_words()


def _has_month(folded: str) -> bool:
    """One automaton pass instead of three scans with a hundred-word alternation: most sentences name no month.
    Every date pattern has a month word at a word start, so "dec" inside "decided" does not count."""
    for _, start, _ in _MONTH_WORDS.find(folded):
        if start == 0 or not folded[start - 1].isalnum():
            return True
    return False


# The month-first patterns run only where a month word starts (their hundred-word alternation is
# otherwise tried at every position); the matches are the same (transforms.gates).
_MONTH_FIRST = Gates([_MONTH_DAY, _MONTH_YEAR])


def _worded_dates(folded: str, published: date | None, out: list[date]) -> None:
    for m in _DAY_MONTH.finditer(folded):
        _add(out, m.group(3), _MONTHS[m.group(2)], m.group(1), published)
    hits = _MONTH_FIRST.hits(folded)
    for m in hits.finditer(1, _MONTH_DAY):
        _add(out, m.group(3), _MONTHS[m.group(1)], m.group(2), published)
    for m in hits.finditer(2, _MONTH_YEAR):
        if not _DIGIT_END.search(folded[max(0, m.start() - 4):m.start()]):  # "in December 2023"
            _add(out, m.group(2), _MONTHS[m.group(1)], "1", published)


def _add(out: list[date], year: str | None, month: int, day: str, published: date | None) -> None:
    if year is None:
        if published is None:
            return
        y = published.year
        # "28 December" in an article of 2 January is last year's.
        if (month, int(day)) > (published.month, published.day + 1) and month - published.month > 6:
            y -= 1
    else:
        y = int(year)
    try:
        out.append(date(y, month, int(day)))
    except ValueError:
        return


def is_background_date(folded: str, published: date | None) -> bool:
    """True when the sentence dates its event two or more days before publication."""
    if published is None or not _DIGIT.search(folded):
        return False
    dates = explicit_dates(folded, published)
    return bool(dates) and all(d <= published - timedelta(days=2) for d in dates)


_LOCATIVE_MONTHS = [f for f in _MONTHS if f.endswith(("е", "і")) or (f.isascii() and len(f) > 3)]
_MONTH_ONLY = re.compile(r"(?<![\w'])(?:in|в|у|во)\s+(" + "|".join(sorted(_LOCATIVE_MONTHS, key=len, reverse=True))
                         + r")(?![\w'])(?!,?\s*\d)")


def past_month(folded: str, published: date | None) -> bool:
    """"В сентябре там загорелась установка" in a story of November: a month that is over, no day in it."""
    if published is None or not _has_month(folded) or _TODAY.search(folded) or _YESTERDAY.search(folded):
        return False
    if _DIGIT.search(folded) and explicit_dates(folded, published):
        return False  # a day is named: is_background_date decides
    months = [_MONTHS[m.group(1)] for m in _MONTH_ONLY.finditer(folded)]
    return bool(months) and all(m != published.month for m in months)


_ORDINALS_RU = [
    "перв", "втор", "трет", "четверт", "пят", "шест", "седьм", "восьм", "девят", "десят",
    "одиннадцат", "двенадцат", "тринадцат", "четырнадцат", "пятнадцат", "шестнадцат", "семнадцат",
    "восемнадцат", "девятнадцат", "двадцат",
]
_ORDINALS_UK = [
    "перш", "друг", "трет", "четверт", "п'ят", "шост", "сьом", "восьм", "дев'ят", "десят",
    "одинадцят", "дванадцят", "тринадцят", "чотирнадцят", "п'ятнадцят", "шістнадцят", "сімнадцят",
    "вісімнадцят", "дев'ятнадцят", "двадцят",
]


def _ordinal_days() -> dict[str, int]:
    """Genitive ordinals 1-31 in Russian and Ukrainian ("третьего", "двадцять першого"), folded."""
    out: dict[str, int] = {}
    for stems, tens, ends in ((_ORDINALS_RU, ("двадцать", "тридцать"), ("ого", "его", "ьего")),
                              (_ORDINALS_UK, ("двадцять", "тридцять"), ("ого", "ього"))):
        for day, stem in enumerate(stems, start=1):
            for end in ends:
                out[stem + end] = day
        out["тридцат" + ends[0]] = 30
        for prefix, base in ((tens[0], 20), (tens[1], 30)):
            for day, stem in enumerate(stems[:9], start=1):
                for end in ends:
                    if base + day <= 31:
                        out[f"{prefix} {stem}{end}"] = base + day
    return out


_ORDINAL_DAY = _ordinal_days()
_ORDINAL_DATE = re.compile(r"(?<![\w'])(" + "|".join(sorted(map(re.escape, _ORDINAL_DAY), key=len, reverse=True))
                           + rf")\s+({_MONTH})(?![\w])")


def ordinal_background(folded: str, published: date | None) -> bool:
    """"Так, третьего февраля власти сообщали об ударе": a date written in words, two or more days
    before publication. Callers check first that the sentence holds a month word and no digit."""
    if published is None:
        return False
    dates: list[date] = []
    for m in _ORDINAL_DATE.finditer(folded):
        _add(dates, None, _MONTHS[m.group(2)], str(_ORDINAL_DAY[m.group(1)]), published)
    return bool(dates) and all(d <= published - timedelta(days=2) for d in dates)


def weekday_before(folded: str, published: date | None) -> bool:
    """"On Friday, a missile hit Uman" in a story of Monday: every weekday named is two or more days
    before publication (a recalled event), and nothing in the sentence says today or yesterday."""
    if published is None:
        return False
    hits = _RELATIVE.hits(folded)
    days = [_WEEKDAY_OF[m.group(1)] for m in hits.finditer(2, _WEEKDAY)]
    if not days or hits.search(1, _YESTERDAY) or _TODAY.search(folded):
        return False
    return all((published.weekday() - d) % 7 >= 2 for d in days)


def dated_before(folded: str, published: date | None) -> bool:
    """True when every date the sentence writes out is a day or more before publication."""
    if published is None or not _DIGIT.search(folded):
        return False
    dates = explicit_dates(folded, published)
    return bool(dates) and all(d <= published - timedelta(days=1) for d in dates)


def names_a_day(folded: str) -> bool:
    """True when the sentence places its event on one day ("overnight", "on Monday", "14 May"): news in
    an article whose lead is a period total."""
    return bool(_TODAY.search(folded) or _YESTERDAY.search(folded) or _WEEKDAY.search(folded)
                or (_DIGIT.search(folded) and (_DAY_MONTH.search(folded) or _MONTH_DAY.search(folded)
                                               or _NUMERIC.search(folded))))


def event_date(folded: str, published: date | None) -> tuple[date | None, str]:
    """(date, precision) for an event described in this sentence: 'day' or 'unknown'."""
    dates = [d for d in explicit_dates(folded, published)
             if published is None or d <= published + timedelta(days=1)]
    if dates:
        day_level = _DAY_MONTH.search(folded) or _MONTH_DAY.search(folded) or _NUMERIC.search(folded)
        return dates[-1], "day" if day_level else "month"
    if published is None:
        return None, "unknown"
    hits = _RELATIVE.hits(folded)
    if hits.search(1, _YESTERDAY):
        return published - timedelta(days=1), "day"
    m = hits.search(2, _WEEKDAY)
    if m:
        delta = (published.weekday() - _WEEKDAY_OF[m.group(1)]) % 7
        return published - timedelta(days=delta), "day"
    return published, "day"
