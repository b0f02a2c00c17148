"""Database sessions that remember the expiry they were loaded with.

SESSION_ENGINE = "her2app.accounts.session_store": the same django_session
table as django.contrib.sessions.backends.db; RefreshIdleSession reads
`stored_expiry` to tell how long ago the idle clock was last restarted.
"""

from datetime import datetime

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    stored_expiry: datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self.stored_expiry = stored.expire_date if stored else None
        return stored

    async def _aget_session_from_db(self):
        stored = await super()._aget_session_from_db()
        self.stored_expiry = stored.expire_date if stored else None
        return stored
