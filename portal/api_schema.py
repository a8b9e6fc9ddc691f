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


def document_common_errors(result, generator, request, public):
    """Any operation with a request body may answer 415 (DRF's parser negotiation)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("415", UNSUPPORTED_MEDIA_TYPE)
    return result
