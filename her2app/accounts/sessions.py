"""A user's server-side sessions (database session backend)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def active_sessions_of(user) -> list[Session]:
    """Unexpired sessions signed in as `user` (decoded one by one: the table has no user column)."""
    user_id = str(user.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now()).iterator()
    return [session for session in live if str(session.get_decoded().get(SESSION_KEY)) == user_id]


def end_all_sessions_of(user) -> int:
    """Sign `user` out on every browser and computer; return how many sessions ended."""
    keys = [session.session_key for session in active_sessions_of(user)]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)
