import pytest

from transforms.numbers import find_numbers, parse_number
from transforms.sentences import fold


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("22", 22), ("10,000,000", 10_000_000), ("twenty-five", 25), ("one", 1),
        ("двох", 2), ("двое", 2), ("трое", 3), ("пятеро", 5), ("п'ять", 5), ("п'ятеро", 5), ("дев'ятеро", 9),
        ("сорок два", 42), ("сто двадцать", 120), ("шістнадцять", 16), ("trois", None),
    ],
)
def test_parse_number(token, value):
    assert parse_number(token) == value


def test_find_numbers_in_text_with_apostrophes_and_words():
    text = fold("Збито п’ять дронів і 12 ракет, ще двоє людей поранені")
    values = [v for _, _, v in find_numbers(text)]
    assert values == [5, 12, 2]


def test_digits_inside_names_are_not_numbers():
    assert find_numbers(fold("бомбардувальник Ту22М3")) == []


def test_absurd_numbers_are_parsed_faithfully():
    assert [v for *_, v in find_numbers("10,000,000 drones")] == [10_000_000]
