"""The fault and abuse suite: its counts are printed at the end of every run that has them."""

from __future__ import annotations

import pytest

from tests.faults.counts import lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    found = lines()
    if found:
        terminalreporter.section("fault suite counts")
        for line in found:
            terminalreporter.write_line(line)
