"""HTML to text: paragraphs kept, chrome and teaser cards dropped."""

from __future__ import annotations

from sources.html import extract_article, html_to_text


def test_paragraphs_breaks_and_entities():
    html = "<div>Intro <b>bold</b><p>First&nbsp;para<br>second line</p>tail</div><ul><li>one</li><li>two</li></ul>"
    assert html_to_text(html) == "Intro bold\nFirst para\nsecond line\ntail\none\ntwo"


def test_drops_scripts_nav_aside_figure_and_related():
    html = (
        "<nav>Home | World</nav><p>Body one.</p><script>var x = 1;</script><style>p{}</style>"
        "<figure><img src=a><figcaption>Photo caption</figcaption></figure>"
        "<aside>Sidebar text</aside><div class='post-related'><p>Related headline</p></div>"
        "<div><a href='/x'>Teaser headline…</a></div><p>Body <a href='/y'>two</a>.</p>"
    )
    assert html_to_text(html) == "Body one.\nBody two."


def test_plain_text_passes_through():
    assert html_to_text("  no markup here ") == "no markup here"
    assert html_to_text("") == ""


def test_extract_article_prefers_article_then_densest_block():
    page = (
        "<html><head><title>T</title></head><body><div id='menu'><p>Menu</p></div>"
        "<main><div class='story'>" + "".join(f"<p>Sentence number {i} of the story.</p>" for i in range(12))
        + "</div></main><div class='comments'><p>A comment</p></div></body></html>"
    )
    title, body = extract_article(page)
    assert title == "T"
    assert body.split("\n")[0] == "Sentence number 0 of the story."
    assert len(body.split("\n")) == 12 and "Menu" not in body and "comment" not in body


def test_extract_article_paragraphs_wrapped_one_by_one():
    page = (
        "<body><div id='top'><p>Top banner words</p></div><section>"
        + "".join(f"<div><p>Wrapped paragraph {i} about the strike.</p></div>" for i in range(6))
        + "</section></body>"
    )
    _, body = extract_article(page)
    assert body.split("\n") == [f"Wrapped paragraph {i} about the strike." for i in range(6)]
