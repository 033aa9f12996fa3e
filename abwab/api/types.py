"""Field types shared by the API's schemas."""

import datetime
import re
from typing import Annotated

from pydantic import BeforeValidator

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value):
    """A day is written YYYY-MM-DD: pydantic would also read a number as seconds since 1970
    (`on=0` became 1 January 1970), which schemathesis rightly calls accepting invalid data."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("a day is written YYYY-MM-DD")


Day = Annotated[datetime.date, BeforeValidator(_iso_day)]


def _iso_moment(value):
    """A moment is written in ISO 8601 (YYYY-MM-DDTHH:MM…), never as a number of seconds."""
    if isinstance(value, datetime.datetime) or (
        isinstance(value, str) and ISO_DAY.match(value) and len(value) > 10
    ):
        return value
    raise ValueError("a moment is written YYYY-MM-DDTHH:MM")


Moment = Annotated[datetime.datetime, BeforeValidator(_iso_moment)]
