"""The page's icons as inline SVG: they draw the same on every machine, where emoji need a colour-emoji
font that a stock Debian + Chromium does not have (it shows empty boxes instead).

Each icon is a 24×24 stroked outline in ``currentColor``. ``svg`` gives markup for HTML the page owns;
``css`` gives the rules that paint an icon through a CSS mask, for places that take no markup (button
labels) or that pass through the chat's sanitizer (``<span class="qa-icon qa-icon-info">``).
"""

from __future__ import annotations

from urllib.parse import quote

PATHS = {
    "bag": '<path d="M6 7h12l1 13H5L6 7z"/><path d="M9 7a3 3 0 0 1 6 0"/>',
    "sources": '<path d="M7 3h7l4 4v14H7z"/><path d="M14 3v4h4"/><path d="M10 12h5M10 16h5"/>',
    "plus": '<path d="M4 5h16v11H9l-5 4z"/><path d="M12 8v5M9.5 10.5h5"/>',
    "settings": '<path d="M4 7h10M18 7h2M4 17h4M12 17h8"/><circle cx="16" cy="7" r="2"/><circle cx="10" cy="17" r="2"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6"/><path d="M12 7.5v.5"/>',
    "warn": '<path d="M12 3l10 18H2z"/><path d="M12 10v5"/><path d="M12 18v.5"/>',
    "search": '<circle cx="11" cy="11" r="6"/><path d="M20 20l-4.5-4.5"/>',
    "ask": '<path d="M5 12h12M13 7l5 5-5 5"/>',
    "check": '<path d="M5 12l5 5 9-10"/>',
}
_FRAME = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
          'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"{attrs}>{body}</svg>')


def svg(name: str, size: int = 18, cls: str = "") -> str:
    """Inline markup for icon ``name``; decorative, so hidden from screen readers."""
    attrs = f' width="{size}" height="{size}" aria-hidden="true" class="{("qa-svg " + cls).strip()}"'
    return _FRAME.format(attrs=attrs, body=PATHS[name])


def _data_uri(name: str) -> str:
    return "data:image/svg+xml," + quote(_FRAME.format(attrs="", body=PATHS[name]).replace("currentColor", "#000"))


def span(name: str) -> str:
    """An icon that survives the chat's HTML sanitizer: a span painted by the ``css`` rules."""
    return f'<span class="qa-icon qa-icon-{name}" aria-hidden="true"></span>'


def css() -> str:
    """``.qa-icon-NAME`` for every icon: a 1em square in the text colour, masked by the icon's outline."""
    base = (".qa-icon, .qa-icon-before::before { display: inline-block; width: 1.1em; height: 1.1em; "
            "vertical-align: -0.18em; background-color: currentColor; -webkit-mask: var(--qa-icon) center / "
            "contain no-repeat; mask: var(--qa-icon) center / contain no-repeat; }")
    rules = [base]
    rules += [f'.qa-icon-{name} {{ --qa-icon: url("{_data_uri(name)}"); }}' for name in PATHS]
    return "\n".join(rules) + "\n"
