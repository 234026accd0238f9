"""The page frame's script-only parts, written once into ``assets/javascripts/frame.js`` instead of on
every page: Material's colour-scheme toggle, its back-to-top button and its app configuration.

Each of them works only with JavaScript (the toggle switches the scheme by script, the button is hidden
until a script shows it, the configuration is read by Material's bundle), so a page without scripts loses
nothing, and every page is about 1.3 KB smaller. The toggle and the button are the theme's own partials
(``partials/palette.html``, ``partials/top-button.html``) rendered once per build; frame.js puts them
where Material's templates would, before Material's bundle looks for them.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from generator.publish.compact import compact_html

FRAME_JS = "assets/javascripts/frame.js"


def frame_settings(env: jinja2.Environment, config: Any) -> str:
    """The statement frame.js starts with: ``self.__digest_frame = {palette, top, config}``."""
    features = list(config.theme.get("features") or [])

    def part(template: str) -> str:
        return compact_html(env.get_template(template).render(config=config)).strip()

    settings = {
        "palette": part("partials/palette.html") if config.theme.get("palette") else "",
        "top": part("partials/top-button.html") if "navigation.top" in features else "",
        "config": {"features": features, "translations": {}, "search": None, "annotate": None, "tags": None,
                   "version": None},
    }
    return f"self.__digest_frame = {json.dumps(settings, ensure_ascii=False, sort_keys=True)};\n"
