"""The process exit codes of the CLI, in one place (docs/cli.md explains each).

Errors carry their own code (:attr:`e20kit.errors.E20KitError.exit_code`); these are the codes
of outcomes that are not exceptions: a collect with failed connectors, undelivered messages,
a period without data.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CONFIG = 2
"""Same as :class:`e20kit.errors.ConfigError`: also a connector whose configured source does
not exist (a missing CSV folder), found when the connector starts."""
EXIT_DELIVERY_FAILED = 5
EXIT_CONNECTOR_FAILED = 6
EXIT_PARTIAL = 7
EXIT_NO_DATA = 8
