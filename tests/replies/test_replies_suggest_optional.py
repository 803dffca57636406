"""Suggested answers without the ``insights`` extra: an error that names it, before any work."""

from __future__ import annotations

import sys

import pytest

from socialkit.errors import ConfigError
from socialkit.replies import AnswerIndex, CharVectorizer


def test_missing_scikit_learn_names_the_insights_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", None)
    with pytest.raises(ConfigError, match=r"pip install 'socialkit\[insights\]'") as caught:
        CharVectorizer()
    assert isinstance(caught.value, ImportError)
    index = AnswerIndex()
    index.add("When do you ship?", "In two days.", language="en")  # adding needs no vectors
    with pytest.raises(ImportError, match="insights"):
        index.search("when will you ship", language="en")
