"""Text placed inside a CSS string (e.g. a PDF page footer's `content: "..."`)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value) -> SafeString:
    """Escape for the inside of a double-quoted CSS string: every character other
    than a letter, digit or space becomes a CSS escape (backslash, hex code, one
    space), which CSS reads back as that character. Nothing can end the string or
    the <style> element, so the result is safe to place there unescaped."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} " for char in str(value)
    )
    return mark_safe(escaped)
