from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ApplicationError(Exception):
    """A forbidden or impossible action (not bad input: that is ValidationError).

    Interfaces map it to an admin message, a form error or an API 4xx with `message`.
    """

    def __init__(self, message: StrOrPromise, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
