"""OpenAPI post-processing: what every operation can answer, documented once."""

UNSUPPORTED_MEDIA_TYPE = {
    "description": "The body's media type (or a malformed multipart body) is not accepted.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}

# portal.middleware.RejectNulMiddleware answers 400 to a NUL character in any query string.
NUL_IN_QUERY = {
    "description": "The query string holds a character that is not allowed (NUL).",
    "content": UNSUPPORTED_MEDIA_TYPE["content"],
}


def document_common_errors(result, generator, request, public):
    """Any operation with a request body may answer 415 (DRF's parser negotiation); any with
    query parameters may answer 400 (a NUL in the query string)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                responses.setdefault("415", UNSUPPORTED_MEDIA_TYPE)
            if any(param.get("in") == "query" for param in operation.get("parameters", [])):
                responses.setdefault("400", NUL_IN_QUERY)
    return result
