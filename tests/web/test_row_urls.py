"""RowUrl: a list reverses a row's URL once and gives each row the same text `reverse` would."""

import pytest
from django.urls import NoReverseMatch, reverse

from her2app.cases.listing import RowUrl


@pytest.mark.parametrize("pk", [1, 7, 10, 918273645, 2**40])
def test_each_row_gets_the_url_reverse_gives(pk):
    assert RowUrl("cases:detail").with_pk(pk) == reverse("cases:detail", args=[pk])


def test_a_url_without_one_integer_argument_is_refused():
    with pytest.raises(NoReverseMatch):
        RowUrl("cases:list")
