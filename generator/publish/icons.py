"""The theme's icons as one stylesheet (``assets/icons.css``): each icon a CSS mask, drawn in the text
colour, so a page names an icon with a class (``partials/icon.html``) instead of carrying its SVG.

The icons are those the overrides name (menu, search, back to top, the logo) and the palette toggles of
``mkdocs.yml``, read from Material's own icon set, so a toggle icon changed there follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

ICONS_CSS = "assets/icons.css"
FRAME_ICONS = ("material/menu", "material/magnify", "material/arrow-up", "material/library")


def icon_names(theme: Any) -> list[str]:
    """The icons a page of this theme can show: the frame's, the configured logo, top and palette icons."""
    names = list(FRAME_ICONS)
    icons = theme.get("icon") or {}
    names += [icons[key] for key in ("logo", "top") if icons.get(key)]
    palette = theme.get("palette") or []
    for option in palette if isinstance(palette, list) else [palette]:
        toggle = option.get("toggle") or {}
        if toggle.get("icon"):
            names.append(toggle["icon"])
    return sorted(set(names))


def icons_css(names: list[str], icon_dirs: list[Path]) -> str:
    """One rule per icon; an icon found in none of ``icon_dirs`` (the theme's ``.icons`` folders) is an
    error naming it, as Material's own include would be."""
    rules = [
        ".digest-icon{display:inline-block;width:1.2rem;height:1.2rem;vertical-align:middle;"
        "background-color:currentcolor;-webkit-mask:var(--digest-icon) center/contain no-repeat;"
        "mask:var(--digest-icon) center/contain no-repeat}",
        "@media (forced-colors:active){.digest-icon{background-color:CanvasText;forced-color-adjust:none}}",
    ]
    for name in names:
        svg = _read_icon(name, icon_dirs)
        rules.append(f".digest-icon--{name.replace('/', '-')}"
                     f"{{--digest-icon:url(\"data:image/svg+xml,{quote(svg, safe='=:/')}\")}}")
    return "\n".join(rules) + "\n"


def _read_icon(name: str, icon_dirs: list[Path]) -> str:
    for folder in icon_dirs:
        path = folder / f"{name}.svg"
        if path.is_file():
            return " ".join(path.read_text(encoding="utf-8").split())
    raise ValueError(f"icon {name!r} is not in the theme's icon set ({', '.join(map(str, icon_dirs))})")
