"""Strato's exceptions. Each API maps them once to its own error format.

``code`` is the HTTP status an API answers with when the exception reaches it.
"""


class StratoError(Exception):
    code = 500
    message = "An unknown error occurred."

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        self.kwargs = kwargs
        super().__init__(message or self.message.format(**kwargs))

    @property
    def msg(self) -> str:
        return str(self)


class BadRequest(StratoError):
    code = 400
    message = "Bad request."


class Unauthorized(StratoError):
    code = 401
    message = "The request you have made requires authentication."


class Forbidden(StratoError):
    code = 403
    message = "You are not authorized to perform the requested action."


class NotFound(StratoError):
    code = 404
    message = "Could not find the requested resource."


class MethodNotAllowed(StratoError):
    code = 405
    message = "Method not allowed."


class Conflict(StratoError):
    code = 409
    message = "Conflict."


class PayloadTooLarge(StratoError):
    code = 413
    message = "Request body is too large."


class ServiceNotFound(NotFound):
    message = "Service {service_id} could not be found."


class DatabaseNotAllowed(StratoError):
    message = "This process reaches the database only through the conductor."
