from datetime import date

from transforms.dates import event_date, explicit_dates, is_background_date
from transforms.sentences import fold

PUB = date(2025, 5, 14)


def test_explicit_dates_in_three_languages():
    assert explicit_dates(fold("в ночь на 14 мая"), PUB) == [date(2025, 5, 14)]
    assert explicit_dates(fold("у ніч на 13 травня"), PUB) == [date(2025, 5, 13)]
    assert explicit_dates(fold("on May 12, 2024"), PUB) == [date(2024, 5, 12)]
    assert explicit_dates(fold("12 December"), date(2025, 1, 3)) == [date(2024, 12, 12)]


def test_relative_words():
    assert event_date(fold("Вчора ворог атакував громаду"), PUB) == (date(2025, 5, 13), "day")
    assert event_date(fold("Overnight drones were shot down"), PUB) == (PUB, "day")
    assert event_date(fold("on Monday the drones hit"), PUB) == (date(2025, 5, 12), "day")
    assert event_date(fold("drones were shot down"), None) == (None, "unknown")


def test_background_dates():
    assert is_background_date(fold("20 февраля над городом сбили 26 беспилотников"), date(2025, 2, 24))
    assert not is_background_date(fold("23 февраля над городом сбили беспилотник"), date(2025, 2, 24))
    assert not is_background_date(fold("над городом сбили беспилотник"), date(2025, 2, 24))
    assert not is_background_date(fold("20 февраля"), None)


def test_month_only_date_has_month_precision():
    assert event_date(fold("In December 2023 a drone hit the plant"), date(2024, 1, 20)) == (date(2023, 12, 1), "month")
