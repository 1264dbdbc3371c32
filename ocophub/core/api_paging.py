"""Bounds for the API's paging parameters: an offset that is negative or past what a
database integer holds is refused by the schema (400, the API's error shape), never
passed on to become a server error."""

from typing import Annotated

from pydantic import Field

MAX_OFFSET = 2**31 - 1

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]

# A record's id as a filter (?product=, ?producer=): past a 64-bit integer no record has
# it, and the database would fail on it, so the schema refuses it (400).
MAX_RECORD_ID = 2**63 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]
