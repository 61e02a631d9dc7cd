"""``e20kit.http`` stands on its own: it imports no domain module (config, store, kit, ...)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import e20kit

ALLOWED = {"e20kit", "e20kit.errors", "e20kit._version"}

PROBE = """
import json, sys, types
# Load e20kit.http without running e20kit/__init__.py, which imports the whole library.
package = types.ModuleType("e20kit")
package.__path__ = [sys.argv[1]]
sys.modules["e20kit"] = package
import e20kit.http
print(json.dumps(sorted(m for m in sys.modules if m == "e20kit" or m.startswith("e20kit."))))
"""


def test_import_e20kit_http_loads_no_domain_module() -> None:
    root = str(Path(e20kit.__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, root], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out))
    assert "e20kit.http.paging" in loaded or "e20kit.http.session" in loaded
    assert "e20kit.config" not in loaded
    assert {m for m in loaded if not m.startswith("e20kit.http")} <= ALLOWED
