"""`{{ user|person_name }}`: how pages name a person, their full name or else their username."""

from django import template

register = template.Library()


@register.filter
def person_name(user) -> str:
    """The full name, or the username when no name is recorded; nothing for no person."""
    if not user:
        return ""
    return user.get_full_name() or user.username
