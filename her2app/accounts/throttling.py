"""Sign-in throttling: who the client is, and when they must wait.

django-axes records each failed sign-in. Two limits apply:
- AXES_FAILURE_LIMIT failures for one username from one address lock that
  pair, so a colleague at the same workstation can still sign in;
- AXES_ADDRESS_FAILURE_LIMIT failures from one address across all usernames
  lock the address, so guessing many usernames from one place is slowed too.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str | None:
    """The address the outermost trusted reverse proxy saw, or the socket address.

    A proxy appends the address it received the request from to
    X-Forwarded-For, so with N trusted proxies the client is the N-th entry
    from the right; anything further left was written by the client and is
    ignored. With no trusted proxy the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR")
    if settings.TRUSTED_PROXY_COUNT < 1 or not _is_trusted_proxy(remote):
        return remote
    forwarded, _ = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=settings.TRUSTED_PROXY_COUNT - 1,  # ipware counts the proxies named inside the header
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return forwarded or remote


def _is_trusted_proxy(address: str | None) -> bool:
    if not settings.TRUSTED_PROXIES:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES)


class PairAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit per address across usernames."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair_failures = super().get_failures(request, credentials)
        if self._address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair_failures, get_failure_limit(request, credentials))
        return pair_failures

    def _address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
