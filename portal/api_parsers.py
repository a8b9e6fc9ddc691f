"""The API's only request parser: JSON, with a bound on nesting.

JSON alone, not form encoding: a browser sends form-encoded and multipart bodies across sites
without asking, so any page on the web could file complaints through a visitor's browser. A
JSON body needs a script of our own origin (CORS). A body nested deeper than any of our
payloads is refused with 400 before it reaches a serializer: Python's decoder would otherwise
run out of recursion (a 500).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The deepest payload the API takes is an object of arrays of objects; 32 leaves ample room.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit: int) -> bool:
    """True when `data` nests more than `limit` containers (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The request body is nested too deeply.")) from error
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(_("The request body is nested too deeply."))
        return data
