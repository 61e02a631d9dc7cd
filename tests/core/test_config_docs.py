"""Every config key is documented somewhere under docs/."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from e20kit.config import Settings

DOCS = "\n".join(
    p.read_text(encoding="utf-8")
    for p in (Path(__file__).resolve().parents[2] / "docs").rglob("*.md")
)


def keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        dotted = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.extend(keys(annotation, f"{dotted}."))
        else:
            out.append(dotted)
    return out


def test_every_config_key_is_documented() -> None:
    undocumented = [k for k in keys(Settings) if f"`{k}`" not in DOCS and f"{k}" not in DOCS]
    assert not undocumented, f"document these keys in docs/: {undocumented}"
