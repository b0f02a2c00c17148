"""Logging filters that keep patient identifiers out of the application logs.

Our own code logs ids, never names or MRNs. These filters cover what
libraries would otherwise write:
- django.template, at DEBUG, attaches a traceback whose message is the whole
  template context (the patient's name and MRN included) to every missing
  variable; the message itself (variable and template name) is kept.
- PostgreSQL puts the offending values in integrity errors
  ("DETAIL:  Key (mrn)=(A123) already exists."); the values are masked.
"""

import logging
import re

KEY_VALUES = re.compile(r"(Key \([^)]*\)=\()(.*?)(\))")
MASK = r"\1…\3"


class DropTemplateContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class MaskDatabaseKeyValues(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            formatter = logging.Formatter()
            record.exc_text = KEY_VALUES.sub(MASK, formatter.formatException(record.exc_info))
            record.exc_info = None
        if isinstance(record.msg, str) and "Key (" in record.msg:
            record.msg = KEY_VALUES.sub(MASK, record.getMessage())
            record.args = None
        return True
