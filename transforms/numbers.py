"""Numbers written in digits or words (en/ru/uk), for weapon counts and casualty figures.

News writes "two drones", "два БПЛА", "двох", "пятеро", "п'ятеро", "22 injured", "10,000,000".
All word forms (Russian and Ukrainian case forms, collective numerals) sit in one table and one
compiled alternation, so a whole sentence is scanned once. Input is expected lower-cased with
apostrophes unified to "'" (see `transforms.sentences.fold`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS: dict[int, str] = {
    1: "one один одна одно одного одной одну одному одним одном одне одної однієї одній",
    2: "two два две двух двум двумя дві двох двом двома двое двоих двоє обидва обоє оба обе обоих both",
    3: "three три трех трём трёх трем тремя трьох трьом трьома трое троих троє",
    4: "four четыре четырех четырёх четырем четырьмя четверо четверых чотири чотирьох чотирьом чотирма",
    5: "five пять пяти пятью пятеро пятерых п'ять п'яти п'ятьох п'ятьма п'ятеро",
    6: "six шесть шести шестью шестеро шестерых шість шести шістьох шістьма",
    7: "seven семь семи семью семеро семерых сім сімох сьома",
    8: "eight восемь восьми восемью восьмеро восьмерых вісім вісьмох вісьмома",
    9: "nine девять девяти девятью девятеро девятерых дев'ять дев'яти дев'ятьох дев'ятеро",
    10: "ten десять десяти десятью десятеро десятерых десятьох",
    11: "eleven одиннадцать одиннадцати одинадцять одинадцяти одинадцятьох",
    12: "twelve двенадцать двенадцати дванадцять дванадцяти дванадцятьох",
    13: "thirteen тринадцать тринадцати тринадцять тринадцяти тринадцятьох",
    14: "fourteen четырнадцать четырнадцати чотирнадцять чотирнадцяти чотирнадцятьох",
    15: "fifteen пятнадцать пятнадцати п'ятнадцять п'ятнадцяти п'ятнадцятьох",
    16: "sixteen шестнадцать шестнадцати шістнадцять шістнадцяти шістнадцятьох",
    17: "seventeen семнадцать семнадцати сімнадцять сімнадцяти сімнадцятьох",
    18: "eighteen восемнадцать восемнадцати вісімнадцять вісімнадцяти вісімнадцятьох",
    19: "nineteen девятнадцать девятнадцати дев'ятнадцять дев'ятнадцяти дев'ятнадцятьох",
}
_TENS: dict[int, str] = {
    20: "twenty двадцать двадцати двадцять двадцяти двадцятьох",
    30: "thirty тридцать тридцати тридцять тридцяти тридцятьох",
    40: "forty сорок сорока",
    50: "fifty пятьдесят пятидесяти п'ятдесят п'ятдесяти п'ятдесятьох",
    60: "sixty шестьдесят шестидесяти шістдесят шістдесяти",
    70: "seventy семьдесят семидесяти сімдесят сімдесяти",
    80: "eighty восемьдесят восьмидесяти вісімдесят вісімдесяти",
    90: "ninety девяносто девяноста дев'яносто",
}
_HUNDREDS: dict[int, str] = {
    100: "сто ста", 200: "двести двухсот двісті двохсот", 300: "триста трехсот трьохсот",
    400: "четыреста четырехсот чотириста чотирьохсот", 500: "пятьсот пятисот п'ятсот п'ятисот",
}
_MULTIPLIERS: dict[int, str] = {
    100: "hundred",
    1000: "thousand тысяча тысячи тысяч тисяча тисячі тисяч",
    1_000_000: "million миллион миллиона миллионов мільйон мільйона мільйонів",
}

WORD_VALUES: dict[str, int] = {}
for _table in (_UNITS, _TENS, _HUNDREDS):
    for _value, _forms in _table.items():
        for _form in _forms.split():
            WORD_VALUES.setdefault(_form, _value)
MULTIPLIER_VALUES = {f: v for v, forms in _MULTIPLIERS.items() for f in forms.split()}

_ALL_WORDS = sorted(list(WORD_VALUES) + list(MULTIPLIER_VALUES), key=len, reverse=True)
_WORD = "(?:" + "|".join(re.escape(w) for w in _ALL_WORDS) + ")"
_DIGITS = r"\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?!\d)|\d+"
# A number: digits (optionally followed by a multiplier word) or up to four number words.
NUMBER = (
    rf"(?:(?<![^\W\d_])(?:{_DIGITS})(?![^\W\d_])(?:\s+(?:thousand|million|тыс\.?|тис\.?|млн\.?))?"
    rf"|(?<![\w']){_WORD}(?:[\s-]+{_WORD}){{0,3}}(?![\w']))"
)
NUMBER_RE = re.compile(NUMBER)
_SPLIT = re.compile(r"[\s-]+")
_NON_DIGIT = re.compile(r"\D")
_SEPARATORS = re.compile(r"[,.\u00a0\u202f]")
_SHORT_MULT = {"тыс": 1000, "тис": 1000, "млн": 1_000_000}


def parse_number(token: str) -> int | None:
    """Value of a number expression matched by `NUMBER` ("22", "10,000,000", "twenty-five", "двох")."""
    token = token.strip().lower()
    if not token:
        return None
    if token[0].isdecimal():
        parts = token.split()
        digits = _SEPARATORS.sub("", parts[0])
        if not digits.isdecimal():
            return None
        value = int(digits)
        if len(parts) > 1:
            mult = parts[1].rstrip(".")
            value *= MULTIPLIER_VALUES.get(mult, _SHORT_MULT.get(mult, 1))
        return value
    total, current, seen = 0, 0, False
    for word in _SPLIT.split(token):
        if word in WORD_VALUES:
            current += WORD_VALUES[word]
            seen = True
        elif word in MULTIPLIER_VALUES:
            current = max(current, 1) * MULTIPLIER_VALUES[word]
            if MULTIPLIER_VALUES[word] >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return total + current if seen else None


def find_numbers(text: str) -> list[tuple[int, int, int]]:
    """(start, end, value) for every number in already folded text."""
    out = []
    for m in NUMBER_RE.finditer(text):
        value = parse_number(m.group())
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out


_TOKEN = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?!\d)|\d+|[^\W\d_]+(?:'[^\W\d_]+)*")
_SHORT = {"тыс": 1000, "тис": 1000, "млн": 1_000_000, "thousand": 1000, "million": 1_000_000}


@lru_cache(maxsize=1024)
def number_spans(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, value) of every number in folded text, found by tokens and dictionary lookups.

    Same results as `find_numbers` for what the extractor needs, but linear with a small constant:
    one simple token scan instead of a several-hundred-word alternation tried at every position.
    """
    out: list[list[int]] = []
    current: list[int] | None = None
    n = len(text)
    for m in _TOKEN.finditer(text):
        tok, start, end = m.group(), m.start(), m.end()
        if tok[0].isdecimal():
            current = None
            if (start and text[start - 1].isalpha()) or (end < n and text[end].isalpha()):
                continue  # "Ту22М3": part of a name
            if start >= 2 and (text[start - 1] == "-" and text[start - 2].isalpha()
                               or text[start - 1] == "/" and text[start - 2].isdigit()):
                continue  # "Kh-101", "ФАБ-1500", "Shahed-136/131": a model, not a count
            out.append([start, end, int(_NON_DIGIT.sub("", tok))])
            continue
        if out and tok in _SHORT and text[out[-1][1]:start] == " " and current is None \
                and text[out[-1][0]].isdigit():
            out[-1][1], out[-1][2] = end, out[-1][2] * _SHORT[tok]
            continue
        if tok in WORD_VALUES or tok in MULTIPLIER_VALUES:
            if current is not None and text[current[1]:start] in (" ", "-"):
                value = parse_number(text[current[0]:end])
                if value is not None:
                    current[1], current[2] = end, value
                    continue
            value = parse_number(tok)
            if value is not None:
                current = [start, end, value]
                out.append(current)
                continue
        current = None
    return tuple((a, b, v) for a, b, v in out)


# "15 листопада", "3 May": a day of a month, never a count of weapons or people.
MONTH_AFTER = re.compile(
    r"\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"январ|феврал|март|апрел|ма[яе]|июн|июл|август|сентябр|октябр|ноябр|декабр|січн|лют|березн|квітн|травн|червн|"
    r"липн|серпн|вересн|жовтн|листопад|грудн)")
