"""The page frame's parts that are the same on every page, written once into
``assets/javascripts/frame.js`` instead of on every page: Material's colour-scheme toggle, its back-to-top
button and its app configuration, the header's link to search, and the navigation tabs of pages outside
the navigation.

The first four only work by script (the toggle switches the scheme by script, the button is hidden until
a script shows it, the configuration is read by Material's bundle, the search page searches by script),
so a page without scripts loses nothing by them, and every page is smaller by them (docs/performance.md,
"Figures behind the code"). The tabs are written where a page outside the navigation calls ``__digestTabs()``
(main.html). The markup is the theme's
own partials (``partials/palette.html``, ``top-button.html``, ``search-button.html``), rendered once per
build; frame.js puts each where Material's templates would, before Material's bundle looks for them.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2
from mkdocs.structure.nav import Navigation

from generator.publish.compact import compact_html
from generator.publish.urls import PATHS, Links

FRAME_JS = "assets/javascripts/frame.js"


def frame_settings(env: jinja2.Environment, config: Any, tabs: list[tuple[str, str]], links: Links) -> str:
    """The statement frame.js starts with: ``self.__digest_frame = {palette, top, search, config, tabs,
    paper_url}``; ``tabs`` are the navigation's top-level titles and addresses from the site root
    (``tab_links``), ``paper_url`` a paper page's address from the root, ``{id}`` for its id (the reading
    list tells paper links by it). The search link's partial gets the search page's address."""
    features = list(config.theme.get("features") or [])

    def part(template: str) -> str:
        return compact_html(env.get_template(template).render(config=config,
                                                               digest_search_url=links.url(PATHS.search))).strip()

    settings = {
        "palette": part("partials/palette.html") if config.theme.get("palette") else "",
        "top": part("partials/top-button.html") if "navigation.top" in features else "",
        "search": part("partials/search-button.html"),
        "tabs": [list(tab) for tab in tabs],
        "paper_url": links.url_pattern(PATHS.paper),
        "config": {"features": features, "translations": {}, "search": None, "annotate": None, "tags": None,
                   "version": None},
    }
    return f"self.__digest_frame = {json.dumps(settings, ensure_ascii=False, sort_keys=True)};\n"


def tab_links(nav: Navigation) -> list[tuple[str, str]]:
    """Each top-level navigation item's title and the address of its first page, as Material's tabs
    link them."""
    links = []
    for item in nav.items:
        first = item
        while first.children:
            first = first.children[0]
        links.append((item.title or "", first.url or ""))
    return links
