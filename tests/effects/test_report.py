"""The "Did it work?" section in every report format, English and German; none without an
experiment or rollout."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from onboarding.helpers import NOW, Recorder

from e20kit.report import FORMATS

from .holdout_helpers import experiment_kit, populate
from .test_read import activity

TODAY = NOW.date() + dt.timedelta(days=30)


def test_section_in_every_format(tmp_path: Path, sqlite_url: str) -> None:
    kit = experiment_kit(tmp_path, sqlite_url, planned=42)
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    activity(kit, {"nudged": 0.9, "hold-out": 0.2})
    period = f"{NOW.date()}..{TODAY}"
    shown: dict[str, int] = {}
    for lang, title in (("en", "Did it work?"), ("de", "Hat es gewirkt?")):
        for fmt in FORMATS:
            out = tmp_path / lang / (f"report.{fmt}" if fmt != "csv" else "csv")
            written = kit.report(fmt, out, period=period, lang=lang, today=TODAY)
            files = written if isinstance(written, list) else [written]
            text = "\n".join(Path(f).read_text(encoding="utf-8") for f in files)
            if fmt == "csv":
                assert any("effects" in Path(f).name for f in files)
                assert {"en": "randomised", "de": "randomisiert"}[lang] in text
            else:
                assert title in text, (lang, fmt)
            if fmt == "json":
                sections = json.loads(text)["sections"]
                (effects,) = [s for s in sections if s["id"] == "effects"]
                (row,) = effects["tables"]["effects"]
                verdict = {"en": "conclusive", "de": "belegt"}[lang]
                assert row["status"] == verdict and row["members"] in (41, 43)  # published
                shown[lang] = row["members"]
    assert shown["en"] == shown["de"]  # one published figure in every language
    md = (tmp_path / "en" / "report.md").read_text(encoding="utf-8")
    # the sentence names the published count, the same as the table: one figure, not two
    assert "Nudges: +" in md and f"{shown['en']} newcomers; randomised" in md


def test_no_section_without_experiments(tmp_path: Path, sqlite_url: str) -> None:
    from onboarding.helpers import make_kit

    kit = make_kit(tmp_path, sqlite_url)
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    out = kit.report("json", tmp_path / "r.json", period=f"{NOW.date()}..{TODAY}", today=TODAY)
    assert isinstance(out, Path)
    ids = [s["id"] for s in json.loads(out.read_text(encoding="utf-8"))["sections"]]
    assert "effects" not in ids
