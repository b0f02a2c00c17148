"""Accounts keep one record of their own: the forms a person has already submitted."""

from django.conf import settings
from django.db import models


class SubmitToken(models.Model):
    """A one-time token from a submitted form: a second submit of the same form (a double-click) is a repeat."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)
