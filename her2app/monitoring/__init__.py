"""After approval: the case's measurement series (weight, LVEF, liver tests, pregnancy status), the
readiness checklist for each administration day, and LVEF monitoring (reference M1).

`lvef_status(case)` is the one entry point other apps call (the plan-hold code reads it).
"""


def lvef_status(case, as_of=None):
    """Where the case stands under M1 (see her2app.monitoring.lvef.lvef_status)."""
    from her2app.monitoring.lvef import lvef_status as status

    return status(case, as_of)
