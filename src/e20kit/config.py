"""Loading and validating the TOML config, with ``E20KIT_*`` environment overrides.

Errors name the file (or the environment variable), the key, the value found and what was
expected. Secrets never live in the file: a ``SecretStr`` field ``token`` is given as
``token_env = "NAME"`` and read from the environment variable ``NAME``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from .analytics.settings import AnalyticsSettings
from .champions.settings import ChampionsSettings
from .effects.settings import Experiment, unique_experiments
from .errors import ConfigError
from .http.redaction import redact
from .http.settings import HttpSettings
from .onboarding.settings import OnboardingSettings
from .survey.settings import SurveySettings

ENV_PREFIX = "E20KIT_"
ENV_NESTING = "__"
_RESERVED_ENV = {"E20KIT_CONFIG", "E20KIT_DISABLE_PLUGINS", "E20KIT_TRACE_HOOKS"}

M = TypeVar("M", bound=BaseModel)
MIN_SECRET_BYTES = 16
"""The shortest pseudonym secret accepted: shorter ones can be guessed by brute force."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreSettings(_Section):
    url: str | None = None
    """SQLAlchemy URL; default: an SQLite file in the user data directory."""


class PrivacySettings(_Section):
    pseudonymise: bool = True
    """Store HMAC member keys instead of e-mail addresses."""
    secret_env: str = "E20KIT_PSEUDONYM_SECRET"
    """Environment variable holding the HMAC secret (required when pseudonymising)."""
    min_group_size: int = Field(default=5, ge=2, le=1000)
    """Groups smaller than this are suppressed in every grouped figure; below 5 refused unless
    ``testing_small_groups`` is on."""
    testing_small_groups: bool = False
    """Allow ``min_group_size`` below 5, for public test data only: every report and the
    inventory then open with a warning."""
    dominance_share: float = Field(default=0.5, gt=0, le=1)
    """A total is hidden when one member holds more than this share of it."""

    @model_validator(mode="after")
    def _production_k(self) -> PrivacySettings:
        if self.min_group_size < 5 and not self.testing_small_groups:
            raise ValueError(
                f"min_group_size = {self.min_group_size} is below 5: refused for employee data "
                "(set testing_small_groups = true only for public test data)"
            )
        return self

    store_contact_details: bool = False
    """Keep e-mail addresses and display names of accounts (needed only by mail notifiers)."""
    retention_days: int = Field(default=400, ge=0)
    max_purge_share: float = Field(default=0.5, gt=0, le=1)
    """The largest share of stored facts one retention purge may delete without ``--force``."""
    """Facts, runs and departed members older than this are purged on every collect and run;
    0 keeps them forever."""
    ledger_retention_days: int | None = Field(default=None, ge=0)
    """Sent messages in the delivery ledger; None: ``retention_days``, 0: forever."""
    onboarding_retention_days: int | None = Field(default=None, ge=0)
    """Onboarding progress and marks, by their last change; None: ``retention_days``."""
    champion_history_retention_days: int | None = Field(default=None, ge=0)
    """Champion state changes and ended buddy pairs; None: ``retention_days``."""
    audit_retention_days: int = Field(default=0, ge=0)
    """The audit trail (never purged by the rules above); 0 keeps it forever."""
    allow_name_lookup: bool = False
    """Let ``e20kit champions list --names`` resolve display names live from the platforms."""
    allow_individual_views: bool = False
    """Let ``champions score`` and ``champions explain`` show one person's figures (audited)."""
    opt_out_stops_processing: bool = True
    """After a member opts out of ``all``, collect no more facts of theirs and leave them out of
    scoring; only the opt-out record (and what is already stored, until retention) remains."""
    champion_scoring: bool = False
    """Score members by their activity to nominate champions (``champions nominate``, ``run``);
    off, the champion programme keeps only the members an operator adds by hand."""


class OrganisationSettings(_Section):
    name: str = "Our organisation"
    timezone: str = "UTC"
    """IANA time zone for quiet hours, weekends and day boundaries."""
    default_locale: Literal["en", "de"] = "en"
    leader_title_pattern: str | None = None
    """Regular expression on job titles that marks leaders besides people with direct reports."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown IANA time zone {value!r}") from err
        return value

    @field_validator("leader_title_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as err:
                raise ValueError(f"not a regular expression: {err}") from err
        return value


class IdentitiesSettings(_Section):
    map: Path | None = None
    """CSV ``platform,person_id,email`` joining accounts whose platform hides the e-mail
    (relative to the config file); see docs/config.md ``[identities]``."""


class CollectSettings(_Section):
    lookback_days: int = Field(default=30, ge=1, le=3650)
    """Days a first run collects; later runs continue from their bookmarks."""
    batch_size: int = Field(default=5000, ge=1)
    """Facts written per transaction."""
    clock_skew_minutes: int = Field(default=60, ge=0, le=1440)
    """How far a record's time or a reference day may run ahead of the real clock before it
    counts as "in the future" (bookmarks never pass the real clock plus this)."""
    retry_skipped_runs: int = Field(default=5, ge=1, le=100)
    """Runs a skipped record (403, 404, 5xx, malformed) holds its stream's bookmark back
    before it is given up and reported as lost."""


class Settings(_Section):
    """The whole config file."""

    store: StoreSettings = StoreSettings()
    privacy: PrivacySettings = PrivacySettings()
    organisation: OrganisationSettings = OrganisationSettings()
    collect: CollectSettings = CollectSettings()
    identities: IdentitiesSettings = IdentitiesSettings()
    http: HttpSettings = HttpSettings()
    connectors: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """One table per connector instance; ``type`` defaults to the table's name."""
    notifiers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    survey_sources: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """One table per survey source instance; ``type`` defaults to the table's name
    (docs/survey.md)."""
    survey: SurveySettings = SurveySettings()
    onboarding: OnboardingSettings = OnboardingSettings()
    champions: ChampionsSettings = ChampionsSettings()
    analytics: AnalyticsSettings = AnalyticsSettings()
    experiments: list[Experiment] = Field(default_factory=list)
    """Randomised hold-outs of the programmes, one ``[[experiments]]`` table each
    (docs/effects.md)."""

    @field_validator("experiments")
    @classmethod
    def _unique_experiments(cls, value: list[Experiment]) -> list[Experiment]:
        return unique_experiments(value)

    @model_validator(mode="after")
    def _survey_minimum(self) -> Settings:
        minimum, k = self.survey.min_respondents, self.privacy.min_group_size
        if minimum is not None and minimum < k:
            raise ValueError(
                f"survey.min_respondents = {minimum} is below privacy.min_group_size = {k}: a "
                "unit's survey score may never be shown for fewer people than any other figure"
            )
        return self

    @model_validator(mode="after")
    def _experiment_checklists(self) -> Settings:
        for experiment in self.experiments:
            wanted = experiment.checklist
            if wanted is not None and self.onboarding.checklist(wanted) is None:
                raise ValueError(
                    f"experiment {experiment.id!r} names checklist {wanted!r}, which no "
                    "[[onboarding.checklists]] table defines"
                )
        return self


class Config:
    """A validated config plus where each value came from, for error messages."""

    def __init__(self, settings: Settings, *, path: Path | None, env: Mapping[str, str]) -> None:
        self.settings = settings
        self.path = path
        self.env = env

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "<built-in defaults>"

    def pseudonym_secret(self) -> bytes | None:
        """The HMAC secret (at least :data:`MIN_SECRET_BYTES`), or None when not pseudonymising."""
        privacy = self.settings.privacy
        if not privacy.pseudonymise:
            return None
        value = self.env.get(privacy.secret_env)
        if not value:
            named = (
                "named by privacy.secret_env, which looks like a secret, not a variable name"
                if looks_like_secret(privacy.secret_env)
                else f"{privacy.secret_env} (privacy.secret_env)"
            )
            raise ConfigError(
                f"config error in {self.where}: privacy.pseudonymise is on but the secret "
                f"environment variable {named} is not set; "
                "expected a long random string",
                file=self.where,
                key="privacy.secret_env",
            )
        secret = value.encode()
        if len(secret) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"config error in {self.where}: the pseudonym secret in {privacy.secret_env} "
                f"(privacy.secret_env) is {len(secret)} bytes long; it must be at least "
                f"{MIN_SECRET_BYTES} bytes of random text (e.g. `openssl rand -hex 32`)",
                file=self.where,
                key="privacy.secret_env",
            )
        return secret

    def plugin_settings(
        self, section: str, name: str, model: type[M], *, secrets: bool = True
    ) -> M:
        """Validate ``[section.name]`` against a plugin's model, resolving ``*_env`` secrets.

        ``secrets=False`` checks the table's shape only: an unset environment variable is then
        no error and its field holds :data:`UNRESOLVED` (commands that only read the store never
        need a platform secret; the connector or notifier is built with ``secrets=True``).
        """
        raw = dict(self.settings.__getattribute__(section).get(name, {}))
        raw.pop("type", None)
        prefix = f"{section}.{name}"
        raw = resolve_secrets(
            model, raw, where=self.where, prefix=prefix, env=self.env, missing_ok=not secrets
        )
        return validate_section(model, raw, where=self.where, prefix=prefix)


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def looks_like_secret(name: str) -> bool:
    """Whether a value given where an environment variable's name belongs is rather a secret
    pasted there: not a variable name at all, or a long mix of lower case and digits (names
    are ``UPPER_SNAKE``; tokens look random)."""
    if not _ENV_NAME.fullmatch(name):
        return True
    mixed = any(c.islower() for c in name) and any(c.isupper() for c in name)
    return len(name) >= 16 and mixed and any(c.isdigit() for c in name) and "_" not in name


UNRESOLVED = "unresolved-secret"
"""What a secret field holds when settings were checked without resolving secrets."""


def _is_secret(annotation: Any) -> bool:
    return annotation is SecretStr or SecretStr in get_args(annotation)


def resolve_secrets(
    model: type[BaseModel],
    raw: dict[str, Any],
    *,
    where: str,
    prefix: str,
    env: Mapping[str, str],
    missing_ok: bool = False,
) -> dict[str, Any]:
    """Replace ``<field>_env`` entries by the environment variable's value (an unset one is
    an error unless ``missing_ok``, which puts :data:`UNRESOLVED` there)."""
    out = dict(raw)
    for name, field in model.model_fields.items():
        if not _is_secret(field.annotation):
            continue
        if name in out:
            raise ConfigError(
                f"config error in {where}: {prefix}.{name} must not hold a secret; set "
                f"{prefix}.{name}_env to the name of an environment variable instead",
                file=where,
                key=f"{prefix}.{name}",
            )
        env_key = f"{name}_env"
        if env_key in out:
            var = out.pop(env_key)
            if looks_like_secret(str(var)):
                raise ConfigError(
                    f"config error in {where}: {prefix}.{env_key} looks like a secret, not a "
                    "variable name; put the secret in an environment variable and give that "
                    "variable's name here (and replace the secret if the file was shared)",
                    file=where,
                    key=f"{prefix}.{env_key}",
                )
            value = env.get(str(var)) or (UNRESOLVED if missing_ok else None)
            if not value:
                raise ConfigError(
                    f"config error in {where}: missing secret: environment variable {var!r} "
                    f"(named by {prefix}.{env_key}) is not set",
                    file=where,
                    key=f"{prefix}.{env_key}",
                )
            out[name] = value
    return out


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The settings model inside an annotation such as ``X``, ``X | None`` or ``list[X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _known_keys(model: type[BaseModel], path: Sequence[int | str]) -> list[str]:
    """The keys the table at ``path`` (a pydantic error location) accepts."""
    current = model
    for part in path:
        if isinstance(part, int):
            continue  # an item of a list of tables: the same model
        field = current.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return []
        current = inner
    return list(current.model_fields)


def _unknown_key(key: str, known: Sequence[str]) -> str:
    """``key: unknown key``, with the closest known key when one is close enough."""
    name = key.rpartition(".")[2]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" (did you mean {key[: len(key) - len(name)]}{close[0]}?)" if close else ""
    return f"{key}: unknown key{hint}"


def _describe(
    err: ValidationError,
    raw: Mapping[str, Any],
    where: str,
    prefix: str,
    model: type[BaseModel] | None = None,
) -> str:
    lines = []
    for item in err.errors():
        loc = ".".join(str(p) for p in item["loc"])
        key = f"{prefix}.{loc}" if prefix else loc
        if item["type"] == "extra_forbidden":
            known = _known_keys(model, item["loc"][:-1]) if model is not None else []
            lines.append(_unknown_key(key, known))
            continue
        value = item.get("input")
        hidden = any(w in key.lower() for w in ("secret", "token", "password"))
        shown = "***" if hidden else redact(repr(value))  # no URL credentials either
        if item["type"] == "missing":
            lines.append(f"{key}: required key is missing")
        else:
            lines.append(f"{key} = {shown}: {redact(item['msg'].removeprefix('Value error, '))}")
    return f"config error in {where}:\n  " + "\n  ".join(lines)


def _scalar_kind(annotation: Any) -> type | None:
    """``bool`` or ``int`` when a field takes exactly that (or that or None), else None."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        annotation = args[0]
    return annotation if annotation in (bool, int) else None


_ENV_INT = re.compile(r"-?[0-9]+")


class _EnvText(str):
    """A value from an ``E20KIT_*`` override: text that may spell a boolean or an integer."""

    __slots__ = ()


def _strict_errors(model: type[BaseModel], raw: Mapping[str, Any], prefix: str) -> list[str]:
    """Booleans and integers are taken as written, never coerced: no "yes", no 1e20.

    A value from an environment override is text, so there ``true``/``false`` and plain digits
    are accepted as well.
    """
    problems = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in raw:
            continue
        value, where = raw[key], f"{prefix}.{key}" if prefix else key
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel) and isinstance(value, Mapping):
            problems.extend(_strict_errors(sub, value, where))
            continue
        item = (get_args(sub) or (None,))[0] if get_origin(sub) in (list, tuple) else None
        if isinstance(item, type) and issubclass(item, BaseModel) and isinstance(value, list):
            for i, entry in enumerate(value):
                if isinstance(entry, Mapping):
                    problems.extend(_strict_errors(item, entry, f"{where}.{i}"))
            continue
        kind = _scalar_kind(sub)
        if kind is bool and not (
            isinstance(value, bool)
            or (isinstance(value, _EnvText) and value.lower() in ("true", "false"))
        ):
            problems.append(f"{where} = {value!r}: expected a boolean: true or false, no quotes")
        elif kind is int and not (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, _EnvText) and _ENV_INT.fullmatch(value))
        ):
            problems.append(f"{where} = {value!r}: expected an integer (a whole number, no quotes)")
    return problems


def validate_section(model: type[M], raw: Mapping[str, Any], *, where: str, prefix: str = "") -> M:
    strict = _strict_errors(model, raw, prefix)
    if strict:
        key = strict[0].split(" = ", 1)[0]
        raise ConfigError(
            f"config error in {where}:\n  " + "\n  ".join(strict), file=where, key=key
        )
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in (prefix, *first["loc"]) if p != "")
        message = _describe(err, raw, where, prefix, model)
        raise ConfigError(message, file=where, key=key) from err


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """``E20KIT_PRIVACY__MIN_GROUP_SIZE=10`` -> ``{"privacy": {"min_group_size": "10"}}``."""
    tree: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or name in _RESERVED_ENV or ENV_NESTING not in name:
            continue
        path = name[len(ENV_PREFIX) :].lower().split(ENV_NESTING)
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        parsed: Any = _EnvText(value)
        if value[:1] in "[{":
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError:
                parsed = value
        node[path[-1]] = parsed
    return tree


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def load_config(path: str | Path | None = None, *, env: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (or ``$E20KIT_CONFIG``), apply env overrides and validate everything."""
    env = dict(os.environ if env is None else env)
    if path is None and env.get("E20KIT_CONFIG"):
        path = env["E20KIT_CONFIG"]
    raw: dict[str, Any] = {}
    file: Path | None = None
    if path is not None:
        file = Path(path).expanduser()
        try:
            with file.open("rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError as err:
            raise ConfigError(f"config file {file} does not exist", file=str(file)) from err
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(
                f"config error in {file}: not valid TOML: {err}", file=str(file)
            ) from err
        except UnicodeDecodeError as err:
            raise ConfigError(
                f"config error in {file}: not UTF-8 text (byte {err.start}: "
                f"{err.object[err.start : err.start + 1]!r}); save the file as UTF-8",
                file=str(file),
            ) from err
        except OSError as err:
            raise ConfigError(
                f"config file {file} cannot be read: {err.strerror or err}", file=str(file)
            ) from err
    overrides = _env_overrides(env)
    where = str(file) if file else "<built-in defaults>"
    if overrides:
        where += " (with E20KIT_* environment overrides)"
    settings = validate_section(Settings, _merge(raw, overrides), where=where)
    return Config(settings, path=file, env=env)


__all__ = [
    "MIN_SECRET_BYTES",
    "CollectSettings",
    "Config",
    "HttpSettings",
    "OrganisationSettings",
    "PrivacySettings",
    "Settings",
    "StoreSettings",
    "load_config",
    "resolve_secrets",
    "validate_section",
]
