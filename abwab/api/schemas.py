"""The base of every API input schema: a JSON object, nothing else."""

from typing import Any

from ninja import Schema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator


class Input(Schema):
    """A request body or a part of one. Ninja's Schema reads attributes from whatever it is given
    (it is made to serialise model instances), so a body such as `[null, null]` or `5` passed as an
    object whose fields all have defaults: the sync route took it for an empty queue and said 200.
    Every input schema derives from this one, which takes a JSON object only (a 422 otherwise)."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler, info: ValidationInfo
    ) -> Any:
        # Replaces ninja's validator of the same name (which wraps any value in a DjangoGetter).
        if isinstance(values, cls):
            return values  # a default such as `VisitIn()`, already validated
        if not isinstance(values, dict):
            raise ValueError("expected a JSON object")  # noqa: TRY004 (pydantic wants ValueError)
        return handler(values)
