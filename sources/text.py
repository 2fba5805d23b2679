"""Small text clean-ups shared by readers (not identity normalisation: that lives in transforms)."""

from __future__ import annotations

import re

# Telegram exports and scrapers keep Markdown: [label](url), **bold**, __italic__, ~~strike~~, ||spoiler||.
# The closing parenthesis is optional: scrapers that cut posts at N characters leave "[label](https://t.me/x".
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\)|$)")
_MD_MARKS = re.compile(r"\*\*|__|~~|\|\||`")


def flatten_markdown(text: str) -> str:
    """Extractors quote evidence sentences verbatim, so markup characters must not sit inside them."""
    text = _MD_LINK.sub(r"\1", text)
    return _MD_MARKS.sub("", text)


def language_tag(value: object) -> str | None:
    """'en-US' -> 'en'; sources claim languages loosely, the pipeline only needs the primary subtag."""
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-").split("-")[0].lower()
    if not tag or not tag.isalpha():
        return None
    return {"ua": "uk", "rus": "ru", "ukr": "uk", "eng": "en"}.get(tag, tag)
