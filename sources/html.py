"""HTML -> plain text that keeps paragraph breaks, for feed bodies and fetched article pages.

Extractors quote whole sentences as evidence, so paragraphs must not be glued together and page chrome
(menus, share bars, "related stories" cards) must not leak in as fake sentences.
"""

from __future__ import annotations

import re
from html import unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROP_TAGS = (
    "script, style, noscript, template, nav, aside, figure, figcaption, iframe, form, button, svg, "
    "header, footer, select, input, textarea, object, embed, video, audio, picture"
)
# Class/id tokens that mark boilerplate; matched as whole tokens so "article-header" is not "header" bait.
_BOILERPLATE = frozenset(
    [
        "related",
        "share",
        "sharing",
        "social",
        "newsletter",
        "subscribe",
        "subscription",
        "promo",
        "advert",
        "advertisement",
        "ads",
        "recommended",
        "recommendations",
        "readmore",
        "read-more",
        "more-stories",
        "comments",
        "cookie",
        "cookies",
        "banner",
        "sidebar",
        "breadcrumbs",
        "breadcrumb",
        "tags",
        "paywall",
        "donate",
        "donation",
        "popup",
        "modal",
    ]
)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "body",
        "html",
        "address",
        "hr",
        "details",
        "summary",
        "center",
        "caption",
        "tbody",
        "thead",
    ]
)
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TOKEN = re.compile(r"[\s_]+|(?<=[a-z])-(?=[a-z])")


def _is_boilerplate(node: LexborNode) -> bool:
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    if not marks.strip():
        return False
    tokens = set(_TOKEN.split(marks))
    return bool(tokens & _BOILERPLATE) or any(t in _BOILERPLATE for t in marks.split())


def _link_only(node: LexborNode) -> bool:
    """A block whose text is all link text is a teaser card or a link list, not article prose."""
    text = _SPACE.sub("", node.text(deep=True) or "")
    if not text:
        return True
    if node.css_first("p") is not None:
        return False
    linked = sum(len(_SPACE.sub("", a.text(deep=True) or "")) for a in node.css("a"))
    return linked >= 0.9 * len(text)


def _clean(tree: LexborHTMLParser) -> None:
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[class], [id]"):
        if node.tag not in ("body", "html", "article", "main") and _is_boilerplate(node):
            node.decompose()
    # Innermost first would be costlier; top-level link-only blocks are enough for teaser cards.
    root = tree.body
    if root is not None:
        for node in root.css("div, section"):
            if node.parent is not None and _link_only(node):
                node.decompose()


def _block_of(node: LexborNode) -> int:
    parent = node.parent
    while parent is not None and parent.tag not in _BLOCKS:
        parent = parent.parent
    return parent.mem_id if parent is not None else 0


def node_text(root: LexborNode | None) -> str:
    """Text of a subtree: one line per block element, whitespace collapsed inside lines."""
    if root is None:
        return ""
    pieces: list[str] = []
    last_block = None
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "br":
            pieces.append("\n")
        elif tag == "-text":
            block = _block_of(node)
            if block != last_block:
                pieces.append("\n")
                last_block = block
            pieces.append(_SPACE.sub(" ", node.text_content or ""))
        elif tag in _BLOCKS:
            last_block = None
    lines = (line.strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """Feed descriptions and saved pages: the whole body, minus chrome."""
    if not html or "<" not in html:
        # No markup: keep the author's line breaks, only resolve entities like &amp; or &#8211;.
        return unescape(html or "").strip()
    tree = LexborHTMLParser(html)
    _clean(tree)
    return node_text(tree.body or tree.root)


def html_title(html: str) -> str | None:
    tree = LexborHTMLParser(html)
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None:
            title = _SPACE.sub(" ", node.text(deep=True) or "").strip()
            if title:
                return title
    return None


def extract_article(html: str) -> tuple[str | None, str]:
    """(title, body) of a news page: <article> if present, else the block holding the most <p> text.

    Picking the densest paragraph container is a cheap stand-in for readability algorithms and is
    good enough for news pages, whose body is one run of <p> siblings.
    """
    title = html_title(html)
    tree = LexborHTMLParser(html)
    _clean(tree)
    candidates = [n for n in tree.css("article") if len(node_text(n)) > 200]
    if candidates:
        best = max(candidates, key=lambda n: len(node_text(n)))
        return title, node_text(best)
    # Readability-style: a paragraph credits its parent fully and its grandparent by half, so bodies
    # whose paragraphs are wrapped one by one in their own <div> still add up in a common ancestor.
    scores: dict[int, tuple[float, LexborNode]] = {}
    for p in tree.css("p"):
        length = len(_SPACE.sub(" ", p.text(deep=True) or "").strip())
        ancestor, weight = p.parent, 1.0
        while ancestor is not None and weight >= 0.5:
            prev = scores.get(ancestor.mem_id, (0.0, ancestor))[0]
            scores[ancestor.mem_id] = (prev + length * weight, ancestor)
            ancestor, weight = ancestor.parent, weight / 2
    if scores:
        _, best = max(scores.values(), key=lambda item: item[0])
        return title, node_text(best)
    return title, node_text(tree.body or tree.root)
