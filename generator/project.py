"""A digest project on disk: ``mkdocs.yml``, ``site_config/`` and ``dumps/``.

The repository's own ``mkdocs.yml`` and ``site_config/`` are the defaults: they ship inside the package
(``generator.skeleton``, as ``templates/`` ships as ``generator.templates``), so ``digest new`` writes a
project that builds the same site, and ``digest build`` in a folder without ``mkdocs.yml`` builds one
from a temporary copy of them.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

_CHECKOUT = Path(__file__).resolve().parent.parent
MKDOCS_FILE = "mkdocs.yml"
DIGEST_FILE = Path("site_config") / "digest.yml"
DUMPS_FOLDER = "dumps"


class ProjectError(RuntimeError):
    """A project cannot be written where it was asked for."""


def shipped_folder(package: str, in_checkout: str) -> Path:
    """The folder shipped as ``package``: the installed copy, or the checkout's own (``in_checkout``,
    relative to the repository root) when the code runs from a checkout that is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return _CHECKOUT / in_checkout


def templates_folder() -> Path:
    """The Jinja templates of the generated pages (``templates/`` of the repository)."""
    return shipped_folder("generator.templates", "templates")


def skeleton_folder() -> Path:
    """Where the default ``mkdocs.yml`` and ``site_config/`` are."""
    return shipped_folder("generator.skeleton", ".")


def default_nav() -> list:
    """The navigation of the default ``mkdocs.yml``: what a project without a ``nav`` of its own shows of
    the generated pages."""
    from mkdocs.utils.yaml import yaml_load

    with (skeleton_folder() / MKDOCS_FILE).open(encoding="utf-8") as file:
        return yaml_load(file)["nav"]


def new_project(folder: Path, digest: dict[str, Any] | None = None, site_url: str | None = None) -> Path:
    """Write a project into ``folder`` (which must hold no ``mkdocs.yml``): the default ``mkdocs.yml`` and
    ``site_config/``, and an empty ``dumps/``. ``digest`` replaces the settings of ``site_config/digest.yml``
    (the defaults of ``generator/config.py`` apply to every key it leaves out); ``site_url`` sets the
    published address. Returns the path of ``mkdocs.yml``."""
    config_file = folder / MKDOCS_FILE
    if config_file.exists():
        raise ProjectError(f"{config_file} exists: not overwriting a project")
    skeleton = skeleton_folder()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(skeleton / "site_config", folder / "site_config", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", ".gitkeep"))
    shutil.copyfile(skeleton / MKDOCS_FILE, config_file)
    (folder / DUMPS_FOLDER).mkdir(exist_ok=True)
    if digest is not None:
        (folder / DIGEST_FILE).write_text(yaml.safe_dump(digest, sort_keys=True), encoding="utf-8")
    if site_url is not None:
        with config_file.open(encoding="utf-8") as file:
            mkdocs = yaml_load(file)
        mkdocs["site_url"] = site_url
        config_file.write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")
    return config_file
