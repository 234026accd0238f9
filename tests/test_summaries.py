"""One-sentence summaries and code links, from the text alone."""

from __future__ import annotations

from generator.analysis.code_links import code_links
from generator.analysis.summaries import summarize
from generator.ingest.text import sentences
from generator.records import Paper

BACKGROUND = "Large language models have transformed natural language processing in recent years."
CONTRIBUTION = "We propose SpanMix, a data augmentation method that mixes spans across training examples."
FINDING = "Experiments show that SpanMix improves accuracy on five benchmarks."
AVAILABLE = "Our code is available at https://github.com/org/spanmix."


def _summary(abstract: str, keyphrases: list[str]) -> str:
    paper = Paper(id="p", title="t", abstract=abstract, sightings=[], keyphrases=keyphrases)
    summarize([paper])
    return paper.tldr


def test_the_summary_is_the_sentence_that_states_the_contribution_not_the_background():
    abstract = " ".join([BACKGROUND, CONTRIBUTION, FINDING, AVAILABLE])
    assert _summary(abstract, ["data augmentation", "language models"]) == CONTRIBUTION


def test_a_finding_wins_over_background_and_availability_never_wins():
    abstract = " ".join([BACKGROUND, FINDING, AVAILABLE])
    assert _summary(abstract, ["spanmix", "github"]) == FINDING


def test_the_summary_is_verbatim_and_short_abstracts_are_their_own_summary():
    abstract = "We study e.g. BERT (Fig. 2) on 3.5 B tokens."
    assert sentences(abstract) == [abstract]
    assert _summary(abstract, []) == abstract
    assert _summary("", []) == ""


def test_sentences_glued_by_a_listing_are_two_sentences_but_names_and_abbreviations_stay_whole():
    glued = "It trains in 9 days.Based on MT-Bench, it wins.This is achieved by curation."
    assert sentences(glued) == ["It trains in 9 days.", "Based on MT-Bench, it wins.",
                                "This is achieved by curation."]
    for whole in ("We use ASP.NET and Node.js here.", "See e.g.Fig. 2 and the U.S.Army data.",
                  "Code is on github.com/Org.Name today."):
        assert sentences(whole) == [whole]


def test_code_links_are_code_hosts_or_addresses_introduced_as_code_or_project_pages():
    abstract = " ".join([
        "We release the corpus at https://data.example.org/corpus. Models: https://huggingface.co/org/m.",
        "Code and data are available at \\url{https://bit.ly/xyz.} See https://github.com/a/b- tools for the",
        "demo; our project page is https://proj.example.org/ too.",
    ])
    assert code_links(abstract) == ["https://huggingface.co/org/m", "https://bit.ly/xyz",
                                    "https://github.com/a/b-tools", "https://proj.example.org/"]
