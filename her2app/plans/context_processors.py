"""What every page's navigation needs to know about plans."""

from django.utils.functional import SimpleLazyObject

from her2app.plans.actions import may_verify


def navigation(request) -> dict:
    """Whether to link the verification worklist: pharmacists, and oncologists where the institution allows it."""
    return {"may_verify": SimpleLazyObject(lambda: may_verify(request.user))}
