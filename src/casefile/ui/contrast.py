"""Readable theme colours: every text colour the reader uses gets a WCAG contrast of 4.5:1.

Textual's themes derive muted and accent text colours that can fall below 2:1 on a
light theme's panels (and `auto` colours resolve against an unknown background in
component styles). `readable_variables` nudges each text colour toward black or white
just enough to pass on every background the reader paints text on.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError

TARGET = 4.5
"""WCAG AA for normal text."""
BACKGROUNDS = ("background", "surface", "panel", "boost", "block-cursor-blurred-background",
               "warning-muted", "error-muted", "accent-muted")
"""Theme variables text is painted on (alpha ones are composited on the background)."""
TEXT_COLOURS = ("text-primary", "text-secondary", "text-accent", "text-warning", "text-error",
                "text-success")
"""Theme text colours made readable on every one of `BACKGROUNDS`."""
FOOTER_BACKGROUNDS = ("footer-background", "footer-key-background", "footer-description-background",
                      "footer-item-background")
FOOTER_COLOURS = ("footer-foreground", "footer-key-foreground", "footer-description-foreground")
"""The key footer has its own colours (a theme may give it a bright background)."""
PAIRS = (("block-cursor-background", "block-cursor-foreground"),
         ("block-cursor-blurred-background", "block-cursor-blurred-foreground"))
"""(background, text colour on it): the text becomes the foreground or background colour."""
MUTED_BLEND = 0.4
"""How far muted text goes from the foreground toward the background (before the check)."""


def luminance(color: Color) -> float:
    """WCAG relative luminance."""
    def channel(value: int) -> float:
        value_ = value / 255
        return value_ / 12.92 if value_ <= 0.03928 else ((value_ + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def ratio(first: Color, second: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def solid(value: str | None, under: Color | None = None) -> Color | None:
    """`value` as an opaque colour (alpha composited on `under`); None for ANSI, auto or unknown."""
    if not value or value.startswith(("ansi", "auto")) or value == "transparent":
        return under if value == "transparent" else None
    try:
        color = Color.parse(value.split()[0])
    except ColorParseError:
        return None
    if color.ansi is not None:
        return None
    return under.blend(color.with_alpha(1.0), color.a) if under is not None and color.a < 1 else color


def readable(color: Color, backgrounds: list[Color]) -> Color:
    """`color`, moved the least toward black or white that reaches `TARGET` on every background."""
    for step in range(21):
        for anchor in (Color(0, 0, 0), Color(255, 255, 255)):
            candidate = color.blend(anchor, step / 20)
            if all(ratio(candidate, ground) >= TARGET for ground in backgrounds):
                return candidate
    return max((Color(0, 0, 0), Color(255, 255, 255)), key=lambda c: min(ratio(c, g) for g in backgrounds))


def best_on(grounds: list[Color], *choices: Color) -> Color:
    """The choice with the most contrast on `grounds`, made readable there."""
    return readable(max(choices, key=lambda c: min(ratio(c, g) for g in grounds)), grounds)


def readable_variables(variables: dict[str, str]) -> dict[str, str] | None:
    """Replacements that make the theme's text readable; None when its colours are unknown (ANSI)."""
    base = solid(variables.get("background"))
    foreground = solid(variables.get("foreground"), base)
    if base is None or foreground is None:
        return None
    unders = [base, *_solids(variables, ("surface", "panel"), [base])]
    grounds = _solids(variables, BACKGROUNDS, unders)
    text = readable(foreground, grounds)
    muted = readable(foreground.blend(base, MUTED_BLEND), grounds)
    out = {"foreground": text, "text": text, "text-muted": muted, "text-disabled": muted,
           "foreground-muted": muted}
    footer = _solids(variables, FOOTER_BACKGROUNDS, _solids(variables, ("footer-background",), unders))
    for names, on in ((TEXT_COLOURS, grounds), (FOOTER_COLOURS, footer)):
        for name in names:
            if (color := solid(variables.get(name), base)) is not None:
                out[name] = readable(color, on)
    for ground_name, name in PAIRS:
        if on := _solids(variables, (ground_name,), unders, fallback=False):
            out[name] = best_on(on, text, base)
    return {name: color.hex for name, color in out.items()}


def _solids(variables: dict[str, str], names: tuple[str, ...], unders: list[Color], *,
            fallback: bool = True) -> list[Color]:
    """The known colours among `names`, each composited on every one of `unders`."""
    found = {color for name in names for under in unders
             if (color := solid(variables.get(name), under)) is not None}
    return list(found) or (unders[:1] if fallback else [])


def theme_variables(app: App[object], name: str) -> dict[str, str]:
    """The CSS variables Textual derives from the theme `name`."""
    theme = app.available_themes[name]
    return {**theme.to_color_system().generate(), **theme.variables}


def drop_unreadable_themes(app: App[Any]) -> None:
    """Offer only themes whose colours are known (ANSI ones take the terminal's, unknowable)."""
    for name in list(app.available_themes):
        if readable_variables(theme_variables(app, name)) is None:
            app.unregister_theme(name)


class ReadableThemes(App[int]):
    """An App that offers only themes with known colours and makes their text readable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Drop the themes whose colours are unknown."""
        super().__init__(*args, **kwargs)
        drop_unreadable_themes(self)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's colours, every text colour made readable on the reader's backgrounds."""
        variables = super().get_css_variables()
        return {**variables, **(readable_variables(variables) or {})}
