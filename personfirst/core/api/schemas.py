"""Shapes shared by several API routers."""

from ninja import Schema


class Error(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]


ERRORS = {401: Error, 403: Error, 404: Error}
# Also for operations that take a body: 400 when it is not JSON at all, 422 when it is not valid.
BODY_ERRORS = {400: Error, 422: ValidationErrorOut}
