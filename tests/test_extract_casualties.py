import pytest

from transforms.casualties import find_casualties
from transforms.sentences import fold


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Three people were killed and 12 were wounded in the strike.", (3, 12)),
        ("The blast killed a woman, officials said.", (1, None)),
        ("The debris fell on a car, killing the driver.", (1, None)),
        ("One local resident was lightly injured.", (None, 1)),
        ("There were no casualties.", (0, 0)),
        ("Nobody was hurt, the mayor said.", (0, 0)),
        ("There were no victims.", (0, None)),
        ("Two of them are in serious condition.", (None, None)),
        ("Погибли двое мирных жителей, ещё пятеро ранены.", (2, 5)),
        ("Пострадавших нет.", (0, 0)),
        ("Жертв нет, повреждены окна.", (0, None)),
        ("Ранен 45-летний мужчина.", (None, 1)),
        ("В результате ранения получили трое человек.", (None, 3)),
        ("Загинули двоє людей, поранено п'ятеро.", (2, 5)),
        ("Без постраждалих.", (0, 0)),
        ("Жертв серед населення немає.", (0, None)),
        ("Поранено 60-річного чоловіка та 58-річну жінку.", (None, 2)),
        ("Серед поранених четверо дітей.", (None, None)),
    ],
)
def test_casualty_forms(sentence, expected):
    assert find_casualties(fold(sentence)) == expected


def test_numbers_of_places_are_not_casualties():
    # eight settlements were shelled; five people hurt
    assert find_casualties(fold("Через обстріл восьми населених пунктів постраждали п'ятеро людей")) == (None, 5)


def test_no_one_is_zero_not_one():
    assert find_casualties(fold("No one was injured by the falling wreckage.")) == (0, 0)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Число пострадавших возросло до 12 человек.", (None, 12)),
        ("Кількість загиблих зросла до семи.", (7, None)),
        ("The death toll has risen to 9.", (9, None)),
        ("Four people, including two children, were wounded.", (None, 4)),
        ("Травмированы двое мирных жителей.", (None, 2)),
        ("A Russian missile strike killed four people and injured 25.", (4, 25)),
        ("Shelling killed one person and injured six.", (1, 6)),
    ],
)
def test_updates_asides_and_verb_first(sentence, expected):
    assert find_casualties(fold(sentence)) == expected
