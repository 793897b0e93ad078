"""All tables. Each subsystem keeps its tables in its own module, imported here so
that Alembic and ``Base.metadata`` see them all."""

from kiosk.models.base import Base, UTCDateTime
from kiosk.models.branch import AuditEntry, Branch, CalendarDay, OpeningHours, Setting
from kiosk.models.claims import ClaimCatalogueVersion, ClaimCheck, ClaimHandover
from kiosk.models.complaints import (
    COMPLAINT_SOURCES,
    COMPLAINT_STATES,
    Complaint,
    ComplaintEvent,
)
from kiosk.models.keypads import Keypad, KeypadEvent, KeypadPort, Rating, RatingRequest
from kiosk.models.printing import (
    JOB_STATES,
    A4Output,
    DeviceEventRow,
    DeviceHealthRow,
    Printer,
    PrintJob,
)
from kiosk.models.queue import (
    OPEN_STATES,
    PRIORITIES,
    PRIORITY_RANK,
    TICKET_STATES,
    Counter,
    CounterEvent,
    CounterService,
    DayState,
    FeedCursor,
    Service,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from kiosk.models.reports import KpiDay, KpiHour, KpiRollup, KpiWait
from kiosk.models.staff import ROLES, DailyRun, StaffMember

__all__ = [
    "COMPLAINT_SOURCES",
    "COMPLAINT_STATES",
    "Complaint",
    "ComplaintEvent",
    "KpiDay",
    "KpiHour",
    "KpiRollup",
    "KpiWait",
    "ROLES",
    "DailyRun",
    "StaffMember",
    "Keypad",
    "KeypadEvent",
    "KeypadPort",
    "Rating",
    "RatingRequest",
    "JOB_STATES",
    "A4Output",
    "DeviceEventRow",
    "DeviceHealthRow",
    "PrintJob",
    "Printer",
    "OPEN_STATES",
    "PRIORITIES",
    "PRIORITY_RANK",
    "TICKET_STATES",
    "AuditEntry",
    "Base",
    "Branch",
    "CalendarDay",
    "ClaimCatalogueVersion",
    "ClaimCheck",
    "ClaimHandover",
    "Counter",
    "CounterEvent",
    "CounterService",
    "DayState",
    "FeedCursor",
    "OpeningHours",
    "Service",
    "Setting",
    "Ticket",
    "TicketEvent",
    "TicketSequence",
    "UTCDateTime",
]
