"""Page furniture is not news: ads, share/newsletter prompts, bylines, credits and gallery
controls are removed at ingest, and the story's own sentences are kept (lines of our own)."""
from __future__ import annotations

import json

import pytest

from eventcoder.ingest import read_inputs, read_text_article, record_to_article
from eventcoder.ingest.boilerplate import is_boilerplate, strip_boilerplate
from eventcoder.ingest.errors import IngestError
from eventcoder.layout import is_caption

FURNITURE = [
    "Advertisement", "ADVERTISEMENT", "Advertisement Continue reading the main story", "AD",
    "Story Continued Below", "Sign up for Daily Newsletters Manage Newsletters",
    "Get the Monitor Stories you care about delivered to your inbox. By signing up, you agree.",
    "Copyright \u00a9 2019 The Washington Times, LLC. Click here for reprint permission.",
    "Copyright 2018 The Associated Press. All rights reserved. This material may not be published.",
    "The Associated Press contributed to this report.", "Contributing: Jane Roe, John Doe",
    "Reporting by Jane Roe; Editing by John Doe", "Additional reporting by Ann Lee",
    "SHARE THIS ARTICLE Share Tweet Post Email", "LISTEN TO ARTICLE 4:12 SHARE THIS ARTICLE Share Tweet Post Email",
    "CLICK HERE TO GET THE FOX NEWS APP", "Follow us on Twitter @SomeDesk.",
    "Image copyright Getty Images", "Image copyright Reuters Image caption Protesters marched on Sunday",
    "Media playback is unsupported on your device Media caption The minister said talks failed",
    "Hide Caption 60 of 157", "12 of 40", "Slideshow (12 Images)", "READ MORE:", "More On This...",
    "SEE ALSO: Ministers meet in Brussels", "Related: Leaders meet in Paris", "___", "\u2022 \u2022 \u2022",
    "By JOHN SMITH", "By Jane Doe and Ann Lee, Associated Press", "By Kamal Ahmed, BBC economics editor",
    "This article is more than 2 years old", "Updated at 5:42 p.m. ET", "3:15 p.m.",
]
STORY = [
    "Russia attacked Ukrainian ports on Sunday.",
    "By Monday, Russia had withdrawn its troops from the border.",
    "By the time the talks ended, both sides had agreed to meet again.",
    "Copyright law was changed by the European Parliament in March.",
    "More than 40 protesters were arrested in Nairobi.",
    "Share prices fell after the sanctions were announced.",
    "Advertisements for the rally appeared across the capital.",
    "Reuters reported that the army had entered the town.",
    "The newsletter of the opposition party was banned by the government.",
    "Follow-up talks will be held in Geneva next week.",
    "Image is everything for the new government, analysts said.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", STORY)
def test_story_sentences_are_kept(line):
    assert not is_boilerplate(line)


def test_strip_removes_only_whole_furniture_lines():
    text = ("Advertisement\n\nRussia attacked Ukrainian ports on Sunday.\n\nSign up for Daily Newsletters\n"
            "Ukraine said it would respond.\nThe Associated Press contributed to this report.")
    out, n = strip_boilerplate(text)
    assert n == 3
    assert out == "Russia attacked Ukrainian ports on Sunday.\n\nUkraine said it would respond."
    assert strip_boilerplate("Russia attacked Ukraine.") == ("Russia attacked Ukraine.", 0)


def test_ingest_removes_furniture_from_json_lines_and_text(tmp_path):
    body = "Advertisement\nRussia attacked Ukrainian ports on Sunday.\nHide Caption 3 of 9\n"
    a = record_to_article({"id": "x", "text": body}, "x.jsonl:1")
    assert a.text == "Russia attacked Ukrainian ports on Sunday."
    t = read_text_article("Ports attacked\n\n" + body, "x.txt")
    assert t.title == "Ports attacked" and t.text == "Russia attacked Ukrainian ports on Sunday."
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "only", "text": "Advertisement\nSign up for Daily Newsletters"}) + "\n"
                 + json.dumps({"id": "ok", "text": body}) + "\n", encoding="utf-8")
    items = list(read_inputs([str(p)]))
    assert isinstance(items[0], IngestError) and "page furniture" in str(items[0])
    assert "in.jsonl:1" in str(items[0])
    assert items[1].text == "Russia attacked Ukrainian ports on Sunday."


def test_the_coder_skips_furniture_sentences_in_raw_text():
    assert is_caption("Media playback is unsupported on your device Media caption Protests grew.")
    assert is_caption("Image copyright AFP Image caption The president arrived in Paris.")
    assert not is_caption("The image of the president arriving in Paris was widely shared.")
