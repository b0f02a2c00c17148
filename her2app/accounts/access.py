"""Access checks used by every view: login first, then a permission."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required


def role_required(*perms: str) -> Callable:
    """Require a logged-in user holding all `perms`; 403 otherwise."""

    def decorator(view: Callable) -> Callable:
        return login_required(permission_required(perms, raise_exception=True)(view))

    return decorator
