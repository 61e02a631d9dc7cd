"""Connectors that ship with the core (registered by :mod:`e20kit.builtin`)."""
