"""``digest``: build, preview and inspect a digest from the command line.

``digest build`` builds into a temporary folder beside the output and swaps it in at the end, so a
failed build leaves the previous site untouched. In a folder without ``mkdocs.yml`` it builds with the
packaged defaults (``generator/project.py``); ``digest new`` writes those defaults out as a project.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from mkdocs.exceptions import Abort

from generator.config import ConfigError, DigestConfig, load_config
from generator.disk import NO_ROOM
from generator.project import DIGEST_FILE, ProjectError, new_project, skeleton_folder

DEFAULT_MKDOCS_CONFIG = Path("mkdocs.yml")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(format="%(levelname)-7s - %(message)s", level=logging.INFO)
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    try:
        return args.run(args)
    except (ConfigError, SiteFolderError, ProjectError) as err:
        logging.getLogger("digest").error("%s", err)
        return 2
    except Abort as err:
        logging.getLogger("digest").error("%s The previous site, if any, is untouched.", err)
        return 1
    except KeyboardInterrupt:
        logging.getLogger("digest").error("Interrupted. The previous site, if any, is untouched.")
        return 130
    except OSError as err:
        if err.errno not in NO_ROOM:
            raise
        logging.getLogger("digest").error(
            "Cannot write %s: %s. The build stopped; the previous site, if any, is untouched, and every "
            "cache is whole (what it had saved is kept).", err.filename, err.strerror)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="write a new digest project (mkdocs.yml, site_config/, dumps/)")
    new.add_argument("folder", type=Path)
    new.set_defaults(run=_run_new)

    build = commands.add_parser("build", help="build the site")
    _add_site_options(build)
    build.add_argument("--out", type=Path,
                       help="output folder (default: site_dir of mkdocs.yml, or site/ with no mkdocs.yml)")
    build.set_defaults(run=_run_build)

    topics = commands.add_parser("topics", help="re-cluster the topics (otherwise kept between builds)")
    topics.add_argument("--rebuild", action="store_true", required=True,
                        help="cluster the whole digest anew; topics that go away redirect to their successors")
    _add_site_options(topics)
    topics.add_argument("--out", type=Path, help="output folder (default: site_dir of mkdocs.yml)")
    topics.set_defaults(run=_run_topics)

    serve = commands.add_parser("serve", help="preview the site; rebuilds when a dump changes")
    _add_site_options(serve)
    serve.add_argument("--dev-addr", default=None, help="IP:PORT to serve on (default 127.0.0.1:8000)")
    serve.add_argument("--dirtyreload", action="store_true",
                       help="on a change, render only the pages whose content changed (fast on large digests)")
    serve.set_defaults(run=_run_serve)

    keywords = commands.add_parser("keywords", help="print keyphrases of every .txt file in a folder")
    keywords.add_argument("folder", type=Path)
    keywords.add_argument("--top-n", type=int, default=10)
    keywords.add_argument("--json", action="store_true", help="print one JSON object (the only format)")
    keywords.set_defaults(run=_run_keywords)
    return parser


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dumps", type=Path, nargs="+", metavar="PATH",
                        help="dump files or folders (default: dumps of site_config/digest.yml)")
    parser.add_argument("-f", "--config-file", type=Path, default=DEFAULT_MKDOCS_CONFIG,
                        help="the MkDocs configuration (default: mkdocs.yml)")


def _run_topics(args: argparse.Namespace) -> int:
    build_site(args.config_file, dumps=args.dumps, out=args.out, rebuild_topics=True)
    return 0


def _run_new(args: argparse.Namespace) -> int:
    config_file = new_project(args.folder)
    logging.getLogger("digest").info(
        "New digest project in %s: put dump files in %s, then run `digest build` there (or `mkdocs build`)",
        config_file.parent, config_file.parent / "dumps")
    return 0


def _run_build(args: argparse.Namespace) -> int:
    if args.config_file.exists() or args.config_file != DEFAULT_MKDOCS_CONFIG:
        build_site(args.config_file, dumps=args.dumps, out=args.out)
    elif args.dumps:
        build_default_site(args.dumps, args.out or Path("site"))
    else:
        raise ProjectError("No mkdocs.yml here: give the dumps (`digest build --dumps DIR --out OUT`) to build "
                           "with the default settings, or write a project with `digest new DIR`")
    return 0


def build_default_site(dumps: list[Path], out: Path, cache_dir: Path | None = None) -> Path:
    """Build ``dumps`` into ``out`` with the packaged defaults: the repository's own site, settings and
    theme, from a temporary project; the caches stay in ``cache_dir`` (by default the configuration's)."""
    cache_dir = DigestConfig().cache_dir if cache_dir is None else cache_dir
    defaults = yaml.safe_load((skeleton_folder() / DIGEST_FILE).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="digest-project-") as folder:
        config_file = new_project(Path(folder), {**defaults, "cache_dir": str(cache_dir.resolve())})
        return build_site(config_file, dumps=dumps, out=out.resolve())


def _run_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    serve(str(args.config_file), dev_addr=args.dev_addr, build_type="dirty" if args.dirtyreload else None,
          plugins=_with_digest_options(args.config_file, dumps=_absolute(args.dumps)))
    return 0


def _run_keywords(args: argparse.Namespace) -> int:
    from generator.analysis.engines.local import KeyphraseExtractor
    from generator.analysis.keyphrases import text_file_document

    settings = load_config(DIGEST_FILE, Path.cwd()).keyphrases
    files = sorted(p for p in args.folder.glob("*.txt") if p.is_file())
    texts = [text_file_document(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    extractor = KeyphraseExtractor(dataclasses.replace(settings, top_n=args.top_n))
    phrases = extractor.extract(texts, progress=sys.stderr.isatty())
    result = {path.name: ranked for path, ranked in zip(files, phrases, strict=True)}
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


class SiteFolderError(RuntimeError):
    """The output folder holds something that is not a built site; it is never replaced."""


def build_site(config_file: Path, dumps: list[Path] | None = None, out: Path | None = None,
               rebuild_topics: bool = False) -> Path:
    """Build the site into ``out`` (or the configured site_dir) atomically; returns the site folder.
    ``rebuild_topics`` clusters the topics anew instead of growing the kept ones. A site built elsewhere
    than the project's site_dir from other dumps keeps its topics in itself, apart from the project's."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as load_mkdocs_config

    config_file = config_file.resolve()
    own = Path(load_mkdocs_config(str(config_file)).site_dir).resolve()
    out = own if out is None else out.resolve()
    _restore_interrupted_swap(out)
    _check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(out)}{os.getpid()}-", dir=out.parent))
    try:
        plugins = _with_digest_options(config_file, dumps=_absolute(dumps), rebuild_topics=rebuild_topics,
                                       site_folder=out, keep_topics_apart=dumps is not None and out != own)
        config = load_mkdocs_config(str(config_file), site_dir=str(staging), plugins=plugins)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except OSError as err:
            if err.errno in NO_ROOM:
                raise OSError(err.errno, err.strerror, str(_written(err, staging, out))) from err
            raise
        finally:
            config.plugins.on_shutdown()
        staging.chmod(0o755)
        kept, total = _keep_unchanged(staging, out)
        logging.getLogger("digest").info("%d of %d files changed; the other %d are the previous site's own",
                                         total - kept, total, kept)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _written(err: OSError, staging: Path, out: Path) -> Path:
    """The file a failed write was writing, as a path of the site (a copy names its source first)."""
    path = Path(err.filename2 or err.filename or staging)
    return out / path.relative_to(staging) if path.is_relative_to(staging) else path


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.building-"


def _remove_abandoned_staging(out: Path) -> None:
    """Staging folders of earlier builds that were killed (their process is gone) are removed; a
    running build's is left alone (its name holds the build's process id)."""
    prefix = _staging_prefix(out)
    for folder in out.parent.glob(f"{prefix}*"):
        pid = folder.name.removeprefix(prefix).split("-")[0]
        if folder.is_dir() and not (pid.isdigit() and _running(int(pid))):
            logging.getLogger("digest").info("Removing %s, left by a build that was stopped", folder)
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        pass
    return True


def _with_digest_options(config_file: Path, **options: object) -> dict[str, dict]:
    """mkdocs.yml's plugins, the digest's with ``options`` added (those not None; paths as text), for MkDocs
    to validate as it validates the file's own. As a mapping: MkDocs empties a list's entries as it reads
    them, and ``serve`` reads the same value again on each rebuild."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as file:
        plugins = yaml_load(file).get("plugins") or []
    if not isinstance(plugins, dict):
        plugins = dict(_plugin_entry(config_file, entry) for entry in plugins)
    if "digest" not in plugins:
        raise ConfigError(f"{config_file}: plugins has no 'digest' entry, through which the digest builds")
    given = {name: _as_yaml(value) for name, value in options.items() if value is not None}
    return {**plugins, "digest": {**(plugins["digest"] or {}), **given}}


def _plugin_entry(config_file: Path, entry: object) -> tuple[str, object]:
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, dict) and len(entry) == 1:
        return next(iter(entry.items()))
    raise ConfigError(f"{config_file}: plugins: {entry!r} is neither a plugin's name "
                      "nor one name and its options")


def _as_yaml(value: object) -> object:
    if isinstance(value, list):
        return [_as_yaml(item) for item in value]
    return str(value) if isinstance(value, Path) else value


def _absolute(paths: list[Path] | None) -> list[Path] | None:
    return [p.resolve() for p in paths] if paths else None


def _check_replaceable(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / "index.html").exists():
        raise SiteFolderError(f"{out} is not empty and holds no index.html: not replacing it with a site")


def _keep_unchanged(staging: Path, out: Path) -> tuple[int, int]:
    """Each new file whose bytes equal the previous site's file at the same path becomes that file (a
    hard link: same inode, same time), so unchanged pages are not rewritten and deploys that compare
    times or contents send only what changed. Returns (files kept, files in the new site)."""
    kept = total = 0
    for new in sorted(staging.rglob("*")):
        if new.is_symlink() or not new.is_file():
            continue
        total += 1
        old = out / new.relative_to(staging)
        if old.is_symlink() or not old.is_file() or old.stat().st_size != new.stat().st_size:
            continue
        if old.read_bytes() == new.read_bytes():
            _replace_with(old, new)
            kept += 1
    return kept, total


def _replace_with(old: Path, new: Path) -> None:
    link = new.with_name(f".{new.name}.kept")
    try:
        os.link(old, link)
        os.replace(link, new)
    except OSError:
        shutil.copystat(old, new)  # a file system without hard links: same bytes, and the old time


def _previous(out: Path) -> Path:
    return out.with_name(f".{out.name}.previous")


def _restore_interrupted_swap(out: Path) -> None:
    """A build killed between the two renames of ``_swap_in`` leaves the previous site beside ``out``
    and no ``out``: it goes back in place."""
    if not out.exists() and (_previous(out) / "index.html").exists():
        logging.getLogger("digest").info("Putting back the previous site, moved aside by a stopped build")
        os.replace(_previous(out), out)


def _swap_in(staging: Path, out: Path) -> None:
    previous = _previous(out)
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        os.replace(out, previous)
    os.replace(staging, out)
    shutil.rmtree(previous, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
