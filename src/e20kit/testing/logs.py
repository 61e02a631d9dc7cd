"""Each test starts with the logging set-up it found: the CLI reconfigures the root logger.

``e20kit -q ...`` run in-process sets the root logger to ERROR and adds a stderr handler; left
in place, a later test in the same worker would see no warning in ``caplog``. This autouse
fixture puts the root level and handlers back after every test.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _e20kit_restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler not in handlers and getattr(handler, "_e20kit", False):
            root.removeHandler(handler)
