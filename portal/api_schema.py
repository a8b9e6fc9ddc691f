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

REJECTED_CHARACTER = {
    "description": "The request contains a character that is not allowed (a NUL anywhere in the "
    "query, path or body: portal.middleware.RejectNulMiddleware).",
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


def document_common_errors(result, generator, request, public):
    """Any operation with a request body may answer 415 (DRF's parser negotiation); any
    operation may answer 400 for a NUL character (operations that document their own 400 keep
    it)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", REJECTED_CHARACTER)
            if "requestBody" in operation:
                responses.setdefault("415", UNSUPPORTED_MEDIA_TYPE)
    return result
