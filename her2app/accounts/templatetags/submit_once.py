from django import template
from django.utils.html import format_html

from her2app.accounts.submit_once import FIELD, new_token

register = template.Library()


@register.simple_tag
def submit_token() -> str:
    """A hidden one-time token: a double-click on this form acts once (accounts.submit_once)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
