"""Bounds for the API's paging parameters: an offset that is negative or past what a
database integer holds is refused by the schema (400, the API's error shape), never
passed on to become a server error."""

from typing import Annotated

from pydantic import Field

MAX_OFFSET = 2**31 - 1

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
