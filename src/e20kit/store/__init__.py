"""The store: SQLAlchemy Core over SQLite (default) or PostgreSQL."""

from .engine import create_engine, default_store_url
from .migrate import SCHEMA_VERSION, current_version
from .upsert import upsert

__all__ = ["SCHEMA_VERSION", "create_engine", "current_version", "default_store_url", "upsert"]
