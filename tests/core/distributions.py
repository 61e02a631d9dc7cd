"""Build small real distributions (dist-info + entry points) in a folder put on sys.path."""

from __future__ import annotations

from pathlib import Path

GOOD_PLUGIN = """
from pydantic import BaseModel
from e20kit import ConnectorType, hookimpl

class SampleSettings(BaseModel):
    greeting: str = "hi"

class SampleConnector:
    capabilities = frozenset({"people"})
    def __init__(self, context):
        self.context = context
    def people(self):
        return iter(())
    def activity(self, window, bookmarks):
        return iter(())
    def close(self):
        pass

@hookimpl
def e20kit_connectors():
    return [ConnectorType(name="sample", settings=SampleSettings, factory=SampleConnector)]
"""

BROKEN_PLUGIN = "raise ImportError('needs libfoo 9, found 8')\n"

DUPLICATE_PLUGIN = """
from e20kit import ConnectorType, hookimpl
from e20kit.connectors.csv import CsvSettings, CsvConnector

@hookimpl
def e20kit_connectors():
    return [ConnectorType(name="csv", settings=CsvSettings, factory=CsvConnector)]
"""

WRONG_TYPE_PLUGIN = """
from e20kit import hookimpl

@hookimpl
def e20kit_connectors():
    return [{"name": "dict-is-not-a-connector"}]
"""


def make_distribution(site: Path, dist: str, module: str, source: str, ep_name: str) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[e20kit]\n{ep_name} = {module}\n", encoding="utf-8")


TOKEN_PLUGIN = """
import logging
from pydantic import BaseModel, SecretStr
from e20kit import ConnectorType, hookimpl
from e20kit.http import raise_for_status

class TokenSettings(BaseModel):
    url: str
    token: SecretStr

class TokenConnector:
    capabilities = frozenset({"people"})
    def __init__(self, context):
        self.name = context.name
        self.settings = context.settings
        self.session = context.http(base_url=self.settings.url)
        logging.getLogger("e20kit.test").debug("connecting with settings %r", self.settings)
    def people(self):
        token = self.settings.token.get_secret_value()
        response = self.session.get("/api/v4/users", params={"access_token": token},
                                    headers={"Authorization": "Bearer " + token})
        raise_for_status(response, connector=self.name)
        yield from ()
    def activity(self, window, bookmarks):
        return iter(())
    def close(self):
        pass

@hookimpl
def e20kit_connectors():
    return [ConnectorType(name="tokened", settings=TokenSettings, factory=TokenConnector)]
"""
