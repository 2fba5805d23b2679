from transforms.sentences import MAX_SENTENCE, fold, split_sentences


def test_fold_keeps_length_and_unifies_apostrophes():
    text = "П’ять дронів — ЁЛКА\u00a0İstanbul"
    folded = fold(text)
    assert len(folded) == len(text)
    assert "п'ять" in folded and "елка" in folded and "-" in folded


def test_split_keeps_offsets_and_abbreviations():
    text = "У с. Гусинка пошкоджено будинок. Drones hit the city! Gov. Smith said so.\nNew line here"
    spans = split_sentences(text)
    parts = [text[a:b] for a, b in spans]
    assert parts == ["У с. Гусинка пошкоджено будинок.", "Drones hit the city!", "Gov. Smith said so.", "New line here"]


def test_missing_space_after_period_still_splits():
    text = "No injuries were reported.The ministry said more."
    assert [text[a:b] for a, b in split_sentences(text)] == ["No injuries were reported.", "The ministry said more."]


def test_long_text_without_punctuation_is_capped():
    text = "drone " * 10_000
    spans = split_sentences(text)
    assert all(b - a <= MAX_SENTENCE for a, b in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
