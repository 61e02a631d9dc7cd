"""Fixtures come from the e20kit pytest plugin (src/e20kit/testing.py).

Hypothesis runs without its per-example deadline: on a loaded two-core CI machine a first
example can take seconds (imports, caches) and the deadline would fail a correct test. Speed
is measured by ``make bench``, never by a test.
"""

from hypothesis import settings

settings.register_profile("e20kit", deadline=None)
settings.load_profile("e20kit")
