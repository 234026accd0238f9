"""The MkDocs plugin: runs the pipeline inside ``mkdocs build``, ``serve`` and ``gh-deploy``.

Generated pages are virtual files added to MkDocs' file collection; they never touch the folder of
hand-written pages (``docs_dir``), and a hand-written page at a generated path is an error.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.analysis.engines.encoders import release_encoders
from generator.analysis.topic_state import PUBLISHED_STATE, StateFiles
from generator.config import ConfigError, DigestConfig, load_config
from generator.pipeline import Timings, build_digest, publish
from generator.project import DIGEST_FILE, default_nav
from generator.publish.compact import compact_html
from generator.publish.frame import FRAME_JS, frame_settings, tab_links
from generator.publish.icons import ICONS_CSS, icon_names, icons_css
from generator.publish.templating import TEMPLATES_DIR
from generator.publish.urls import PATHS, Links
from generator.records import Digest, QualityReport

log = get_plugin_logger("digest")

ABOUT_PAGE = "about.md"
"""The hand-written page the footer links to (``site_config/pages/about.md``)."""


class GeneratedFile(File):
    """A generated page or file. Under ``mkdocs serve --dirtyreload`` MkDocs rebuilds only modified
    files; a generated file counts as modified only when its content changed since the last build."""

    unchanged = False

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class DigestPluginConfig(Config):
    """The plugin's options in mkdocs.yml; the command line (``generator/cli.py``) sets the last four for
    the one build it runs."""

    config = c.Type(str, default=str(DIGEST_FILE))
    dumps = c.Optional(c.ListOfItems(c.Type(str)))
    """Other dumps than the digest configuration's (``digest build --dumps``)."""
    rebuild_topics = c.Type(bool, default=False)
    """Cluster the topics anew instead of growing the kept ones (``digest topics --rebuild``), on the first
    build only: a ``serve`` rebuild grows them again."""
    site_folder = c.Optional(c.Type(str))
    """The folder the site replaces, when MkDocs' ``site_dir`` is a staging folder (``digest build``)."""
    keep_topics_apart = c.Type(bool, default=False)
    """Other dumps built elsewhere than the project's ``site_dir``: an experiment, whose topics are kept in
    its own site, apart from the project's."""


class DigestPlugin(BasePlugin[DigestPluginConfig]):
    def __init__(self) -> None:
        self.digest_config: DigestConfig | None = None
        self.root = Path.cwd()
        self.report: QualityReport | None = None
        """The last build's data-quality report; the digest itself is not kept while MkDocs builds."""
        self.timings = Timings()
        self.state_files = StateFiles(None)
        self._pinned_build_date = False
        self._generated: set[str] = set()
        self._bodies: dict[str, str] = {}
        self._last_content: dict[str, int] = {}
        self._tabs: list[tuple[str, str]] = []
        self.links = Links()
        self._topics_rebuilt = False
        self.serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin across ``serve`` rebuilds, which keep the loaded model."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        try:
            digest_config = load_config(root / self.config.config, root)
        except ConfigError as err:
            raise PluginError(str(err)) from None
        if self.config.dumps is not None:
            digest_config = digest_config.with_dumps([root / dump for dump in self.config.dumps])
        self.digest_config = digest_config
        self.root = root
        published = Path(self.config.site_folder or config.site_dir) / PUBLISHED_STATE
        kept = None if self.config.keep_topics_apart else digest_config.topics.state_file
        self.state_files = StateFiles(kept, published)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.digest_config is not None
        if not {"search", "material/search"} & set(config.plugins):
            _drop_material_search_assets(files)
        self.timings = Timings()
        rebuild = self.config.rebuild_topics and not self._topics_rebuilt
        digest = build_digest(self.digest_config, self.timings, rebuild, self.state_files)
        self._topics_rebuilt = self._topics_rebuilt or rebuild
        self.report = digest.report
        if not self.serving:
            release_encoders()
        self.links = Links(config.use_directory_urls, config.site_url)
        try:
            pages = publish(digest, self.digest_config, self.root, self.links, self.timings)
        except jinja2.TemplateError as err:
            raise PluginError(f"Template error: {_where(err)}{err.message}") from err
        pages[ICONS_CSS] = self._icons_css(config)
        in_nav = _nav_paths(config.nav if config.nav is not None else default_nav())
        for path, content in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{config.docs_dir}/{path} is hand-written, but the digest generates {path}; "
                                  "rename or move the hand-written page")
            inclusion = InclusionLevel.UNDEFINED if path in in_nav else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(config, path, content=content, inclusion=inclusion)
            file.unchanged = self._last_content.get(path) == hash(content)
            files.append(file)
        self._last_content = {path: hash(content) for path, content in pages.items()}
        self._generated = set(pages)
        self._pin_build_date(digest)
        log.info("Stage times: %s", self.timings)
        return files

    @staticmethod
    def _icons_css(config: MkDocsConfig) -> str:
        try:
            folders = [Path(folder) / ".icons" for folder in config.theme.dirs]
            return icons_css(icon_names(config.theme), folders)
        except ValueError as err:
            raise PluginError(f"mkdocs.yml theme: {err}") from None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._tabs = tab_links(nav)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """The theme's frame.js gets the parts of the page frame it puts on every page (publish/frame.py),
        and the footer the address of the About page, as MkDocs gives it (none when there is no page)."""
        about = files.get_file_from_path(ABOUT_PAGE)
        env.globals["digest_about_url"] = about.url if about is not None else ""
        script = files.get_file_from_path(FRAME_JS)
        if script is None:
            raise PluginError(f"{FRAME_JS} is missing from the theme: mkdocs.yml's theme needs custom_dir "
                              "site_config/overrides")
        try:
            script.content_string = frame_settings(env, config, self._tabs, self.links) + script.content_string
        except jinja2.TemplateError as err:
            raise PluginError(f"Template error: {_where(err)}{err.message}") from err
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's body is already HTML, escaped and linked: it goes to the page as it is,
        without a pass through the Markdown parser (about a quarter of the MkDocs time at 2,000 papers)."""
        if page.file.src_uri in self._generated:
            self._bodies[page.file.src_uri] = markdown.strip()
            page.file.content_string = ""  # read already: MkDocs holds every page until the last is written
            return ""
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._bodies.pop(page.file.src_uri, html)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return compact_html(output) if page.file.src_uri in self._generated else output

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        assert self.digest_config is not None
        for path in [*self.digest_config.dumps, self.root / self.config.config, TEMPLATES_DIR]:
            if path.exists():
                server.watch(str(path))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._restore_build_date()
        if self.report is not None:
            report = self.report
            log.info("Data quality: %d entries read, %d papers, %d problems; see the page %s",
                     report.entries_read, report.papers, len(report.problems), PATHS.quality)

    def on_build_error(self, *, error: Exception) -> None:
        self._restore_build_date()

    def _pin_build_date(self, digest: Digest) -> None:
        """Date the build by its newest digest day, so the same dumps build the same site (sitemap)."""
        if digest.newest_day is None or "SOURCE_DATE_EPOCH" in os.environ:
            return
        newest = dt.datetime.combine(digest.newest_day, dt.time(), tzinfo=dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(newest.timestamp()))
        self._pinned_build_date = True

    def _restore_build_date(self) -> None:
        if self._pinned_build_date:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._pinned_build_date = False


def _nav_paths(nav: object) -> set[str]:
    """The pages mkdocs.yml's ``nav`` names (the default project's, where it has none, so that MkDocs'
    own navigation lists the same generated pages); every other generated page is left out of the
    navigation without MkDocs' warning."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    return set().union(*map(_nav_paths, nav)) if isinstance(nav, list) else set()


def _where(err: jinja2.TemplateError) -> str:
    if isinstance(err, jinja2.TemplateSyntaxError):
        return f"{err.filename or err.name}:{err.lineno}: "
    return ""


def _drop_material_search_assets(files: Files) -> None:
    """Material copies its search worker and lunr language files into every site (docs/performance.md,
    "Figures behind the code"); without its search plugin no page loads them."""
    for file in list(files):
        if file.src_uri.startswith(("assets/javascripts/lunr/", "assets/javascripts/workers/search.")):
            files.remove(file)
