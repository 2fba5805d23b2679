from transforms.language import detect_language


def test_english():
    assert detect_language("Air defence shot down two drones over the region, the governor said.") == "en"


def test_russian_vs_ukrainian_letters():
    assert detect_language("Над областью сбиты три беспилотника, пострадавших нет.") == "ru"
    assert detect_language("Над областю збито три безпілотники, постраждалих немає.") == "uk"


def test_russian_without_distinctive_letters_defaults_to_russian():
    assert detect_language("Дроны атаковали город ночью") == "ru"


def test_other_and_empty():
    assert detect_language("") == "other"
    assert detect_language("12345 !!! ???") == "other"
    assert detect_language("Die Flugabwehr hat über der Stadt mehrere Drohnen abgeschossen, sagte er heute.") == "other"


def test_feed_claim_is_ignored_and_long_text_is_fast():
    text = "Вночі ворог атакував місто дронами. " * 50_000
    assert detect_language(text) == "uk"
