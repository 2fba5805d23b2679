"""Code page guessing for undeclared legacy Cyrillic bytes."""

from __future__ import annotations

from sources.cyrillic import guess_cyrillic

RU = "Ночью силы ПВО сбили два беспилотника над областью, пострадавших нет."
UK = "Уламки збитої ракети пошкодили дах будинку; є поранені, їх госпіталізовано."


def test_cyrillic_code_pages():
    assert guess_cyrillic(RU.encode("cp1251")) == "cp1251"
    assert guess_cyrillic(UK.encode("cp1251")) == "cp1251"
    assert guess_cyrillic(RU.encode("koi8-r")) == "koi8-u"
    assert guess_cyrillic(UK.encode("koi8-u")) == "koi8-u"
    # wrapped in ASCII markup, as in a feed
    assert guess_cyrillic(f"<item><title>{RU}</title><link>https://example.org/a</link></item>".encode("cp1251"))


def test_not_cyrillic():
    assert guess_cyrillic("Le café était fermé à Noël, déjà vu.".encode("cp1252")) is None
    assert guess_cyrillic("שלום עולם, זהו טקסט בעברית לבדיקה".encode("cp1255")) is None
    assert guess_cyrillic(b"plain ascii only") is None
