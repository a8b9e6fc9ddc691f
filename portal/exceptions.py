class ApplicationError(Exception):
    """A forbidden or impossible action (not bad input: that is ValidationError).

    Interfaces map it to an admin message, a form error or an API 4xx with `message`.
    """

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
