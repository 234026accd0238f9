"""The Jinja environment every generated page, chart and redirect page is written through, so all of them
are escaped one way: Jinja's autoescaping. Every piece of dump text is placed inside HTML elements and
HTML-escaped, so Markdown never interprets it: ``<EOS>``, ``[MASK]``, ``P(y|x)`` and ``*`` reach the reader
as written."""

from __future__ import annotations

import functools
import json

import jinja2
from markupsafe import Markup, escape

from generator.ingest.text import display_segments
from generator.project import templates_folder
from generator.publish.labels import format_day, month_label, plural, week_label

TEMPLATES_DIR = templates_folder()


def environment() -> jinja2.Environment:
    """A new environment over ``templates/`` with the filters every view shares; a view adds its own."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update({
        "day": format_day,
        "plural": plural,
        "month_name": lambda month: month_label(month.year, month.month),
        "week_name": week_label,
        "front_matter_title": front_matter_title,
        "display_html": display_html,
        "link_label": link_label,
    })
    return env


def render_markup(template: str, **context) -> Markup:
    """A piece of HTML (a chart, a redirect page) from its template, without the file's last newline."""
    return Markup(_shared_environment().get_template(template).render(**context).rstrip("\n"))


@functools.cache
def _shared_environment() -> jinja2.Environment:
    return environment()


def front_matter_title(text: str) -> Markup:
    """A YAML scalar holding the HTML-escaped text: the theme prints page titles without escaping."""
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


def link_label(url: str) -> str:
    """An address as a link's text: without its scheme and a trailing slash ("github.com/org/repo")."""
    return url.split("://", 1)[-1].rstrip("/")


def display_html(text: str) -> Markup:
    """Dump text as HTML: cleaned for display (``text.display_segments``), every piece escaped, web
    addresses as links that leave the site."""
    link = Markup('<a href="{}" rel="nofollow noopener">{}</a>')
    pieces = display_segments(text)
    return Markup("").join(link.format(s.href, s.text) if s.href else escape(s.text) for s in pieces)
