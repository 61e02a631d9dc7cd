"""Concealed user names: what the connector does about them, and what it tells the admin.

Tenants conceal user names in the usage reports by default: the ``User Principal Name`` column
then holds a hash. Those rows cannot be joined to members, and the connector never tries to
reverse the hashes. Their counts are kept under the hash (as ``concealed:<hash>`` accounts that
join no one), so the organisation's figures stay whole while per-member views, onboarding checks
and the joins with other platforms see nothing of them until the setting is changed.
"""

from __future__ import annotations

CONCEALED_PREFIX = "concealed:"
SETTING = "Display concealed user, group, and site names in all reports"
GRAPH_PROPERTY = "adminReportSettings.displayConcealedNames"


def concealed_advice() -> str:
    return (
        "the Microsoft 365 usage reports conceal user names (hashes instead of user principal "
        "names), so their activity cannot be joined to members; the organisation's totals are "
        "kept, per-member figures are not. To show names, a Global Administrator (or Reports "
        "Administrator) clears the setting "
        f"'{SETTING}' in the Microsoft 365 admin center under Settings > Org settings > "
        f"Services > Reports, or sets {GRAPH_PROPERTY} to false with PATCH "
        "/admin/reportSettings, which needs the ReportSettings.ReadWrite.All permission"
    )


__all__ = ["CONCEALED_PREFIX", "GRAPH_PROPERTY", "SETTING", "concealed_advice"]
