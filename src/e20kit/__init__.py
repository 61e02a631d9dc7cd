"""e20kit: measure, diagnose and drive adoption of collaboration platforms.

Everything listed in ``__all__`` is public API; other modules are implementation details whose
names may change.
"""

from __future__ import annotations

from ._version import __version__
from .clock import OrgClock
from .config import Config, load_config
from .connector import (
    ActivityItem,
    Capability,
    Connector,
    ConnectorContext,
    ConnectorType,
    DataSource,
    NameResolver,
    PluginContext,
)
from .disclosure import Disclosure, DisclosurePolicy
from .errors import (
    ConfigError,
    ConnectorAuthError,
    ConnectorDeadlineError,
    ConnectorError,
    ConnectorFatalError,
    ConnectorPayloadError,
    ConnectorRateLimitError,
    ConnectorResponseTooLargeError,
    ConnectorRetriableError,
    DeliveryUnconfirmed,
    E20KitError,
    LockError,
    NotifierAuthError,
    NotifierError,
    PluginError,
    SkippableRecordError,
    StoreError,
)
from .extensions import (
    ChampionNominated,
    ChampionSignal,
    Check,
    CheckContext,
    EmptyParams,
    ReportContext,
    ReportSection,
    Sandbox,
    SandboxRun,
    SectionPublisher,
    SignalContext,
    StepCompleted,
)
from .findings import Evidence, Finding, Reason, RuledOut, Severity
from .http import (
    DEFAULT_MAX_PAGES,
    HttpSession,
    Page,
    RateAdvice,
    RatePolicy,
    body_cursor_pages,
    describe_endpoint,
    json_or_error,
    link_header_pages,
    make_session,
    next_link_pages,
    offset_pages,
    page_number_pages,
    parse_payload,
    raise_for_status,
    redact,
)
from .http.waits import announce_wait
from .kit import Kit
from .models import Activity, AttributeValue, Bookmark, Checkpoint, Person, Replace, Window
from .notifier import Message, Notifier, NotifierType, Recipient
from .plugins import hookimpl
from .publishing import Published, Publisher, PublishRequest
from .records import build_or_skip
from .results import CollectResult, ConnectorRun
from .streams import Gap, Skipped, Stream, Streams
from .urls import ServiceUrl
from .vocab import Action, Feature

__all__ = [
    "DEFAULT_MAX_PAGES",
    "Action",
    "Activity",
    "ActivityItem",
    "AttributeValue",
    "Bookmark",
    "Capability",
    "ChampionNominated",
    "ChampionSignal",
    "Check",
    "CheckContext",
    "Checkpoint",
    "CollectResult",
    "Config",
    "ConfigError",
    "Connector",
    "ConnectorAuthError",
    "ConnectorContext",
    "ConnectorDeadlineError",
    "ConnectorError",
    "ConnectorFatalError",
    "ConnectorPayloadError",
    "ConnectorRateLimitError",
    "ConnectorResponseTooLargeError",
    "ConnectorRetriableError",
    "ConnectorRun",
    "ConnectorType",
    "DataSource",
    "DeliveryUnconfirmed",
    "Disclosure",
    "DisclosurePolicy",
    "E20KitError",
    "EmptyParams",
    "Evidence",
    "Feature",
    "Finding",
    "Gap",
    "HttpSession",
    "Kit",
    "LockError",
    "Message",
    "NameResolver",
    "Notifier",
    "NotifierAuthError",
    "NotifierError",
    "NotifierType",
    "OrgClock",
    "Page",
    "Person",
    "PluginContext",
    "PluginError",
    "PublishRequest",
    "Published",
    "Publisher",
    "RateAdvice",
    "RatePolicy",
    "Reason",
    "Recipient",
    "Replace",
    "ReportContext",
    "ReportSection",
    "RuledOut",
    "Sandbox",
    "SandboxRun",
    "SectionPublisher",
    "ServiceUrl",
    "Severity",
    "SignalContext",
    "SkippableRecordError",
    "Skipped",
    "StepCompleted",
    "StoreError",
    "Stream",
    "Streams",
    "Window",
    "__version__",
    "announce_wait",
    "body_cursor_pages",
    "build_or_skip",
    "describe_endpoint",
    "hookimpl",
    "json_or_error",
    "link_header_pages",
    "load_config",
    "make_session",
    "next_link_pages",
    "offset_pages",
    "page_number_pages",
    "parse_payload",
    "raise_for_status",
    "redact",
]
