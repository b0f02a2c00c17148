"""What the cases app announces to the apps built on it, which it does not import.

`case_data_saved` is sent inside the transaction that saves a wizard step, after the save, with
`case`, `step` (the step's slug) and `user`. Each receiver brings its own records in line with the
case's data (imported values confirmed, the measurement series, plans put on hold) and returns the
warnings the person who saved should read.
"""

from django.dispatch import Signal

case_data_saved = Signal()


def announce_case_data_saved(case, step: str, user) -> list[str]:
    """Send `case_data_saved`; the receivers' warnings, in order."""
    replies = case_data_saved.send(sender=type(case), case=case, step=step, user=user)
    return [warning for _receiver, warnings in replies for warning in warnings]
