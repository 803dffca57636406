"""The content calendar: entries, approvals, recurring slots, rules, and a dispatcher
that publishes what is due exactly once per entry and target, even across crashes.

```python
from datetime import datetime
from socialkit.calendar import Calendar

cal = Calendar("brand.db", tz="Europe/Berlin")
cal.add("Spring sale starts now!", ["brand"], at=datetime(2025, 3, 31, 9), tz="Europe/Berlin")
cal.add_slot("FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=12;BYMINUTE=0")
cal.queue("Tip of the week: ...", ["brand"])
print(cal.week_view())
report = cal.run_due({"brand": client})
```

Needs the ``calendar`` extra (python-dateutil, icalendar).
"""

from .core import Calendar, Pause
from .entries import (
    Approval,
    Delivery,
    DeliveryState,
    Entry,
    IllegalTransition,
    Rejection,
    State,
)
from .policy import Policy
from .report import DispatchReport, Outcome
from .rules import DEFAULT_DAILY_CAPS, Blackout, Rules, ScheduleConflict, Violation
from .slots import Slot
from .status import CalendarStatus, UncertainDelivery, WorkerStatus
from .suggest import SlotSuggestion, suggest_slots
from .views import WeekView

__all__ = [
    "DEFAULT_DAILY_CAPS",
    "Approval",
    "Blackout",
    "Calendar",
    "CalendarStatus",
    "Delivery",
    "DeliveryState",
    "DispatchReport",
    "Entry",
    "IllegalTransition",
    "Outcome",
    "Pause",
    "Policy",
    "Rejection",
    "Rules",
    "ScheduleConflict",
    "Slot",
    "SlotSuggestion",
    "State",
    "UncertainDelivery",
    "Violation",
    "WeekView",
    "WorkerStatus",
    "suggest_slots",
]
