"""One error body for the whole API, and the helpers every router raises it with.

Every error the API answers (400, 401, 403, 404, 409, ...) has the body `ErrorOut`::

    {"detail": "lot: A batch with this lot already exists.",   # always: what to fix
     "errors": {"lot": "A batch with this lot already exists."}} # field errors only

`detail` is one readable sentence (or, for a request the schema refused before the
view ran, ninja's list of `{"loc", "msg", "type"}`, see `install`); `errors`, when
present, maps each payload field to its message. In a router::

    from ocophub.core.api_errors import api_error, error_responses, form_error

    @router.post("/areas", response={201: AreaOut, **error_responses(400, 403)})
    def create_area(request, payload: AreaIn):
        if not request.user.is_staff_officer:
            raise api_error(403, _("Only officers register growing areas."))
        form = AreaForm(data=payload.dict(), user=request.user)
        if not form.is_valid():
            raise form_error(form)

`error_responses` documents the codes in the OpenAPI schema; `install(api)` (called
once in ocophub/api.py) makes ninja answer these exceptions in this shape. The EPCIS
REST binding keeps the problem+json body its standard prescribes (epcis/api.py).
"""

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError


class ErrorOut(Schema):
    """The body of every API error."""

    detail: str | list[dict[str, Any]]
    errors: dict[str, str] | None = None


class ApiError(HttpError):
    """An HttpError that may carry field errors; answered as `ErrorOut`."""

    def __init__(
        self, status_code: int, detail: str, errors: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status_code, detail)
        self.detail = detail
        self.errors = dict(errors) if errors else None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.detail}
        if self.errors:
            body["errors"] = self.errors
        return body


def api_error(status: int, detail: str, errors: Mapping[str, str] | None = None) -> ApiError:
    """The error to raise: `raise api_error(404, _("No such batch."))`."""
    return ApiError(status, str(detail), errors)


def field_errors(
    errors: Mapping[str, Iterable[object]],
    names: Mapping[str, str] | None = None,
    status: int = 400,
) -> ApiError:
    """Field errors (form or model field -> messages) as one error; `names` renames a
    form field to the payload field the caller sent (`{"when": "time"}`).
    `detail` reads "field: message; other: message"."""
    names = names or {}
    by_field = {
        names.get(field, field): " ".join(str(m) for m in messages)
        for field, messages in errors.items()
    }
    detail = "; ".join(f"{field}: {message}" for field, message in by_field.items())
    return ApiError(status, detail, by_field)


def form_error(form: BaseForm, names: Mapping[str, str] | None = None) -> ApiError:
    """A bound, invalid form's errors as a 400 (see `field_errors`)."""
    return field_errors(form.errors, names)


def validation_error(exc: ValidationError, status: int = 400) -> ApiError:
    """A Django ValidationError from a model rule as one error; field errors when it
    names fields, else its messages joined as `detail`."""
    if hasattr(exc, "error_dict"):
        return field_errors(exc.message_dict, status=status)
    return ApiError(status, " ".join(exc.messages))


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    """`{code: ErrorOut}` for a route's `response=`, so the schema documents its errors."""
    return {code: ErrorOut for code in codes}


def error_docs(*codes: int) -> dict[str, Any]:
    """The same for a route without `response=` (a file, a QR code, a free-form body):
    its `openapi_extra=`."""
    return {"responses": {code: _error_response(code) for code in codes}}


def _error_response(code: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(code).phrase,
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def install(api: NinjaAPI) -> None:
    """Answer ApiError and schema validation errors in the one shape."""

    # ninja types a handler's exception as the class or an instance; it is an instance.
    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, exc.body(), status=exc.status_code)

    def on_schema_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # A payload or query the schema refused: 400 (ninja's default is 422).
        return api.create_response(request, {"detail": exc.errors}, status=400)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(SchemaValidationError, on_schema_error)

    build_schema = api.get_openapi_schema

    def get_openapi_schema(**kwargs: Any) -> Any:
        schema = build_schema(**kwargs)
        document_common_errors(schema)
        return schema

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def document_common_errors(schema: dict[str, Any]) -> None:
    """Document the errors any operation can answer, whatever its view does: 400 when
    it takes parameters or a body (the schema refusal above) and 401 when it needs
    authentication (ninja answers `{"detail": "Unauthorized"}`), and 403 when it
    changes something and takes a session (ninja's CSRF refusal, `{"detail": "CSRF
    check Failed"}`). An operation that documents its own code keeps it."""
    cookies = {
        name
        for name, scheme in schema.get("components", {}).get("securitySchemes", {}).items()
        if scheme.get("in") == "cookie"
    }
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            security = operation.get("security") or []
            common = []
            if operation.get("parameters") or operation.get("requestBody"):
                common.append(400)
            if security:
                common.append(401)
            if method not in ("get", "head") and any(cookies & set(s) for s in security):
                common.append(403)
            for code in common:
                documented = responses.get(code) or responses.get(str(code))
                if documented is None:
                    responses[code] = _error_response(code)
                elif "content" in documented:
                    # A route with its own error body (EPCIS's problem+json) still
                    # answers these in the common one.
                    documented["content"].setdefault("application/json", {"schema": ERROR_REF})
