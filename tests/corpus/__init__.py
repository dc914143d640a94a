"""Tests on real material collected from public repositories (README.md)."""

import os

import pytest


def material_missing(reason: str) -> None:
    """Skip a corpus test whose material is absent, except in CI (``CI`` set, as
    ``.ci/run`` sets it), where the corpus is required and its absence fails."""
    if os.environ.get("CI"):
        pytest.fail(
            f"{reason} (CI requires the real corpus: collect it as "
            "tests/corpus/README.md says)",
            pytrace=False,
        )
    pytest.skip(reason)
