"""Fixtures shared by the diagnosis tests: one store per sandbox preset, per test module."""

from __future__ import annotations

import pytest

from e20kit.analytics import Metrics

from .orgstore import Stores, preset_metrics


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Stores:
    return Stores(tmp_path_factory.mktemp("orgs"))


@pytest.fixture(scope="module")
def healthy(stores: Stores) -> Metrics:
    """The healthy preset over the last 90 days."""
    return preset_metrics(stores, "healthy", "last-90d")
