"""A CLI run in one test must not silence the warnings a later test captures."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_root_logging_is_restored_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import logging

        from e20kit.testing import run_cli


        def test_a_quiet_cli_run():
            assert run_cli("-q", "plugins").exit_code == 0
            assert logging.getLogger().level == logging.ERROR


        def test_warnings_are_captured_afterwards(caplog):
            logging.getLogger("e20kit.someplugin").warning("space X is not readable")
            assert "space X is not readable" in caplog.text
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(passed=2)
