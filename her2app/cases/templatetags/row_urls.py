"""One URL reversal for a whole list of rows.

    {% row_url 'cases:detail' as case_url %}
    {% for case in cases %}<a href="{{ case_url|with_pk:case.pk }}">...{% endfor %}

`{% url %}` in a loop reverses the pattern once per row (~20 us each); here it
is reversed once and each row's URL is the same text with the row's own key.
"""

from django import template
from django.urls import reverse

register = template.Library()

_PLACEHOLDER = 918273645  # an integer key no URL pattern spells out itself


class RowUrl:
    """A URL whose only argument is an integer key, reversed once."""

    def __init__(self, viewname: str):
        self.head, self.tail = reverse(viewname, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))

    def with_pk(self, pk: int) -> str:
        return f"{self.head}{int(pk)}{self.tail}"


@register.simple_tag
def row_url(viewname: str) -> RowUrl:
    return RowUrl(viewname)


@register.filter
def with_pk(url: RowUrl, pk: int) -> str:
    return url.with_pk(pk)
