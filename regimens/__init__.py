"""The regimen engine: pure Python, no Django. See ../shared/design.md."""

from regimens.catalogue import RULESET_VERSION

__all__ = ["RULESET_VERSION"]
