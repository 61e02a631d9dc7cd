"""The fakes' shared base: leaving the ``with`` block stops the fake, on errors too."""

from __future__ import annotations

import pytest

from e20kit.sandbox import Fake


class _Recorded(Fake):
    def __init__(self) -> None:
        self.stopped = 0

    def stop(self) -> None:
        self.stopped += 1


def test_leaving_the_block_stops_the_fake_once_even_on_error() -> None:
    with _Recorded() as fake:
        assert fake.stopped == 0
    assert fake.stopped == 1
    failing = _Recorded()
    with pytest.raises(RuntimeError), failing:
        raise RuntimeError("boom")
    assert failing.stopped == 1


def test_a_fake_must_say_how_it_stops() -> None:
    with pytest.raises(NotImplementedError), Fake():
        pass
