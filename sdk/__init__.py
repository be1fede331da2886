"""Kindshield: the Python SDK for a self-hosted Kindshield server.

::

    import kindshield

    with kindshield.Client(base_url="http://127.0.0.1:8731", api_key="ks_...") as client:
        analysis = client.analyze(["have a nice day", "you are an idiot"])
        for result in analysis:
            print(result.toxic, result.score, result.text)

The base URL and key also come from ``KINDSHIELD_URL`` and
``KINDSHIELD_API_KEY``. Every error raised is a :class:`KindshieldError`.
"""
from ._admin import (
    Admin,
    Keys,
    Offender,
    OffenderReview,
    Offenders,
    ReviewResult,
    WebhookAttempt,
    WebhookDelivery,
    Webhooks,
)
from ._async import AsyncClient
from ._client import Client, Timeout, TimeoutTypes
from ._constants import DEFAULT_BASE_URL, MAX_BATCH_SIZE, VERSION
from ._core import SUBJECT_HEADER, ResponseMeta
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    KindshieldError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from ._keys import ApiKey, KeyScope, PlatformStats
from ._page import Page
from ._resources import Notices, ProtectionResource, Reports
from ._types import (
    LABELS,
    Analysis,
    AnalysisResult,
    Audience,
    ChainVerification,
    DayStats,
    Health,
    ItemError,
    Labels,
    Language,
    Lockdown,
    LockdownState,
    MessageKind,
    ModelInfo,
    Notice,
    NudgeOutcome,
    Precheck,
    Protection,
    ProtectionSettings,
    Relation,
    Report,
    ReportFormat,
    ReportReceipt,
    ReportStatus,
    Sensitivity,
    Severity,
    ShieldAction,
    ShieldDecision,
    ShieldMessage,
    ShieldReason,
    ShieldResult,
    Span,
    Stats,
    StatusChange,
)

#: The SDK's version.
__version__ = VERSION

__all__ = [
    "__version__",
    "DEFAULT_BASE_URL",
    "MAX_BATCH_SIZE",
    "LABELS",
    # client
    "Client",
    "AsyncClient",
    "Page",
    "Timeout",
    "TimeoutTypes",
    "ProtectionResource",
    "Notices",
    "Reports",
    "Admin",
    "Offenders",
    "Webhooks",
    "Keys",
    "SUBJECT_HEADER",
    # results
    "ResponseMeta",
    "ApiKey",
    "KeyScope",
    "PlatformStats",
    "Analysis",
    "AnalysisResult",
    "ItemError",
    "Labels",
    "Span",
    "ModelInfo",
    "Precheck",
    "ShieldMessage",
    "ShieldDecision",
    "ShieldReason",
    "ShieldResult",
    "Protection",
    "ProtectionSettings",
    "Lockdown",
    "Notice",
    "Report",
    "StatusChange",
    "ReportReceipt",
    "ChainVerification",
    "Stats",
    "DayStats",
    "Health",
    "Offender",
    "OffenderReview",
    "ReviewResult",
    "WebhookDelivery",
    "WebhookAttempt",
    # fixed values (typing.Literal)
    "Audience",
    "Language",
    "LockdownState",
    "MessageKind",
    "NudgeOutcome",
    "Relation",
    "ReportFormat",
    "ReportStatus",
    "Sensitivity",
    "Severity",
    "ShieldAction",
    # errors
    "KindshieldError",
    "APIError",
    "ValidationError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "PayloadTooLargeError",
    "RateLimitError",
    "ServerError",
    "APIConnectionError",
    "APITimeoutError",
]
