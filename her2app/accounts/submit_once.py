"""Idempotent submits: each form that acts carries a one-time token (`{% submit_token %}`); the view asks
`is_repeat(request)` first and answers a repeat with the page the first submit leads to, without acting or
adding a second message."""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from her2app.accounts.models import SubmitToken

FIELD = "submit_token"
KEPT_FOR = timedelta(days=1)


def new_token() -> str:
    return str(uuid.uuid4())


def is_repeat(request: HttpRequest) -> bool:
    """True when this form's token was already used. A form without a token is never a repeat."""
    try:
        token = uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return False
    try:
        with transaction.atomic():
            SubmitToken.objects.create(token=token, user=request.user)
    except IntegrityError:
        return True
    SubmitToken.objects.filter(used_at__lt=timezone.now() - KEPT_FOR).delete()
    return False
