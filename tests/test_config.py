"""Every message a user can meet in site_config/digest.yml names the file and the key, and says what
would be right; a good file gives the settings, with paths resolved against the project."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.config import ConfigError, DigestConfig, load_config

from .conftest import make_project


def load(tmp_path: Path, text: str) -> DigestConfig:
    path = tmp_path / "digest.yml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, tmp_path)


@pytest.mark.parametrize(("text", "message"), [
    ("title: [unclosed", "not valid YAML"),
    ("- a list", "'top level' must be a mapping, got ['a list']"),
    ("keyphrase: {top_n: 3}", "has an unknown key 'keyphrase' (expected one of: title, dumps,"),
    ("keyphrases: {topn: 3}", "'keyphrases' has an unknown key 'topn' (expected one of: model, top_n,"),
    ("keyphrases: 5", "'keyphrases' must be a mapping, got 5"),
    ("keyphrases: {top_n: five}", "'keyphrases.top_n' must be an integer, got 'five'"),
    ("keyphrases: {top_n: true}", "'keyphrases.top_n' must be an integer, got True"),
    ("keyphrases: {top_n: 0}", "'keyphrases.top_n' must be at least 1, got 0"),
    ("keyphrases: {diversity: 1.5}", "'keyphrases.diversity' must be between 0.0 and 1.0, got 1.5"),
    ("search: {semantic: maybe}", "'search.semantic' must be true or false, got 'maybe'"),
    ("search: {meaning: false}", "'search' has an unknown key 'meaning' (expected one of: semantic)"),
    ("keyphrases: {diversity: high}", "'keyphrases.diversity' must be a number, got 'high'"),
    ("keyphrases: {max_words: 9}", "'keyphrases.max_words' must be between 1 and 5, got 9"),
    ("keyphrases: {device: tpu}", "'keyphrases.device' must be one of auto, cpu, cuda, mps, got 'tpu'"),
    ("keyphrases: {batch_size: -1}", "'keyphrases.batch_size' must be at least 0, got -1"),
    ("keyphrases: {engine: spark}", "'keyphrases.engine' must be one of local, ray, got 'spark'"),
    ("keyphrases: {model: 7}", "'keyphrases.model' must be a string, got 7"),
    ("keyphrases: {ray_actors: 0}", "'keyphrases.ray_actors' must be at least 1, got 0"),
    ("keyphrases: {ray_gpus_per_actor: -1}", "'keyphrases.ray_gpus_per_actor' must be at least 0.0, got -1"),
    ("topics: {min_papers: 0}", "'topics.min_papers' must be at least 1, got 0"),
    ("topics: {max_share: 0}", "'topics.max_share' must be above 0.0 and at most 1.0, got 0"),
    ("topics: {max_topics: 0}", "'topics.max_topics' must be at least 1, got 0"),
    ("topics: {max_topics_per_paper: 30}", "'topics.max_topics_per_paper' must be between 1 and 20, got 30"),
    ("topics: {state_file: 3}", "'topics.state_file' must be a path, got 3"),
    ("topics: {same: causal LM}", "'topics.same' must be a list of lists of phrases, got 'causal LM'"),
    ("topics: {same: [[causal LM]]}", "'topics.same[1]' must list two phrases or more, got ['causal LM']"),
    ("topics: {same: [[a b, c], [d, A-B]]}", "'topics.same[2]' names 'A-B', which group 1 names already"),
    ("topics: {same: [[a, '']]}", "'topics.same[1][2]' must be a term (a word or phrase), got ''"),
    ("title: 3", "'title' must be a string, got 3"),
    ("dumps: ['']", "'dumps' must be a path, got ''"),
    ("cache_dir: [a]", "'cache_dir' must be a path, got ['a']"),
    ("dump_dates: [a.txt]", "'dump_dates' must be a mapping of file name to date"),
    ("dump_dates: {a.txt: 14 March}", "'dump_dates.a.txt' must be a date as YYYY-MM-DD, got '14 March'"),
    ("default_year: 25000", "'default_year' must be between 1900 and 2200, got 25000"),
    ("default_year: soon", "'default_year' must be an integer, got 'soon'"),
    ("related_papers: 99", "'related_papers' must be between 0 and 50, got 99"),
    ("feed_papers: 0", "'feed_papers' must be at least 1, got 0"),
    ("list_feed_papers: 0", "'list_feed_papers' must be at least 1, got 0"),
    ("keyphrases: {runtime: tensorrt}", "'keyphrases.runtime' must be one of"),
    ("keyphrases: {runtime: onnx, model: my/model}",
     "'keyphrases.runtime' onnx runs the bundled model (all-MiniLM-L6-v2) only; use torch or auto for "
     "'my/model'"),
    ("trending_papers: 0", "'trending_papers' must be at least 1, got 0"),
    ("topics: {areas_from: 0}", "'topics.areas_from' must be at least 1, got 0"),
    ("watchlists: {name: A}", "'watchlists' must be a list of watchlists, got {'name': 'A'}"),
    ("watchlists: [{name: A}]", "'watchlists[1].include' must list at least one term"),
    ("watchlists: [{name: A, include: []}]", "'watchlists[1].include' must list at least one term"),
    ("watchlists: [{name: A, include: [x, '  ']}]",
     "'watchlists[1].include[2]' must be a term (a word or phrase), got '  '"),
    ("watchlists: [{name: A, include: [x], exclude: [7]}]",
     "'watchlists[1].exclude[1]' must be a term (a word or phrase), got 7"),
    ("watchlists: [{include: [x]}]", "'watchlists[1].name' is required"),
    ("watchlists: [{name: A, include: x}, {name: a, include: y}]",
     "'watchlists[2].name' gives the address watchlists/a/ that watchlist 1 has"),
    ("watchlists: [{name: A, include: [x], topic: y}]", "'watchlists[1]' has an unknown key 'topic'"),
    ("watchlists: [{name: A, include: [x], about: 3}]", "'watchlists[1].about' must be a string, got 3"),
])
def test_each_bad_value_is_named_with_its_file_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 'digest.yml'}: ")
    assert message in str(caught.value)


def test_a_good_file_gives_its_settings_and_the_defaults_for_the_rest(tmp_path):
    config = load(tmp_path, "dumps: [dumps, /data/more]\ndump_dates: {a.txt: 2025-03-14, b.txt: '2025-03-15'}\n"
                            "keyphrases: {top_n: 7, diversity: 0}\ndefault_year: 2024\n"
                            "topics: {min_papers: null, max_topics: 90, same: [[causal LM, next-token "
                            "prediction, NTP]]}\n")
    assert config.dumps == (tmp_path / "dumps", Path("/data/more"))
    assert config.dump_dates == {"a.txt": dt.date(2025, 3, 14), "b.txt": dt.date(2025, 3, 15)}
    assert (config.topics.min_papers, config.topics.max_topics) == (None, 90)
    assert config.topics.same == (("causal LM", "next-token prediction", "NTP"),)
    assert (config.keyphrases.top_n, config.keyphrases.diversity) == (7, 0.0)
    assert config.keyphrases.model == DigestConfig().keyphrases.model
    assert config.cache_dir == tmp_path / ".cache" / "digest"
    assert config.default_year == 2024


def test_an_empty_or_missing_file_gives_the_defaults(tmp_path):
    assert load(tmp_path, "") == load_config(tmp_path / "absent.yml", tmp_path)
    topics = load(tmp_path, "").topics
    assert topics.state_file == tmp_path / ".cache" / "digest-topics.json"
    assert dataclasses.replace(topics, state_file=DigestConfig().topics.state_file) == DigestConfig().topics


def test_command_line_choices_reach_the_plugin_as_its_options(tmp_path):
    """`digest build` hands the plugin its choices as options of mkdocs.yml's digest entry, validated by
    MkDocs; the other plugins keep their place."""
    from mkdocs.config import load_config as load_mkdocs_config

    from generator.cli import _with_digest_options

    config_file = make_project(tmp_path, tmp_path / "cache")
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("plugins:\n", "plugins:\n  - tags\n"), encoding="utf-8")
    plugins = _with_digest_options(config_file, dumps=[tmp_path / "other.txt"], rebuild_topics=True,
                                   site_folder=tmp_path / "out", keep_topics_apart=None)
    assert list(plugins) == ["tags", "digest"]
    config = load_mkdocs_config(str(config_file), plugins=plugins)
    options = config.plugins["digest"].config
    assert options.dumps == [str(tmp_path / "other.txt")]
    assert (options.rebuild_topics, options.site_folder, options.keep_topics_apart) == (
        True, str(tmp_path / "out"), False)
    assert options.config == "site_config/digest.yml"


def test_a_bad_plugin_option_is_named_by_mkdocs(tmp_path, caplog):
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.exceptions import Abort

    config_file = make_project(tmp_path, tmp_path / "cache")
    config_file.write_text(config_file.read_text(encoding="utf-8").replace(
        "config: site_config/digest.yml", "rebuild_topics: often"), encoding="utf-8")
    with pytest.raises(Abort):
        load_mkdocs_config(str(config_file))
    assert "rebuild_topics" in caplog.text and "Expected type: <class 'bool'>" in caplog.text
