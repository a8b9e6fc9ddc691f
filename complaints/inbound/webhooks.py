"""Webhooks of the SMS/WhatsApp gateways: `POST /api/v1/inbound/generic/` and
`POST /api/v1/inbound/whatsapp-cloud/` (with its `GET` verification handshake).

Every POST is signed: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` with
INBOUND_WEBHOOK_SECRET (WhatsApp Cloud API's own scheme, with the app secret as the key). The
signature is checked on the raw bytes before anything is parsed; a bad or missing one (or no
secret configured: fail closed) is 403 and nothing is stored. Then the body is parsed (400 for
malformed input) and each message goes to `inbound_message_receive`, which stores it once per
message id: a replay answers 200 "duplicate".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.choices import InboundGateway, IntakeChannel
from complaints.services.inbound import CLOCK_SKEW, InboundInput, inbound_message_receive

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "HTTP_X_HUB_SIGNATURE_256"
TAG = "inbound channels"
# A chat message longer than this is not a chat message.
TEXT_MAX = 4096


def signature_valid(*, body: bytes, header: str, secret: str) -> bool:
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


class _Problem(Exception):
    def __init__(self, errors: dict) -> None:
        super().__init__(errors)
        self.errors = errors


def _json(body: bytes):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _Problem({"detail": _("The body is not valid JSON.")}) from error


def _received_at(value) -> dt.datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _Problem({"received_at": [_("Please send an ISO 8601 date and time.")]})
    if timezone.is_naive(parsed):
        raise _Problem({"received_at": [_("Please include the time zone offset.")]})
    if parsed > timezone.now() + CLOCK_SKEW:
        raise _Problem({"received_at": [_("The time of receipt cannot be in the future.")]})
    return parsed


def parse_generic(body: bytes) -> list[InboundInput]:
    data = _json(body)
    if not isinstance(data, dict):
        raise _Problem({"detail": _("The body must be a JSON object.")})
    errors: dict[str, list[str]] = {}
    message_id = data.get("message_id")
    if not isinstance(message_id, str) or not message_id.strip() or len(message_id) > 200:
        errors["message_id"] = [_("Please send a message id of 1 to 200 characters.")]
    channel = data.get("channel")
    if channel not in (IntakeChannel.WHATSAPP, IntakeChannel.SMS):
        errors["channel"] = [_('The channel must be "whatsapp" or "sms".')]
    sender = data.get("from")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > 32:
        errors["from"] = [_("Please send the sender's number.")]
    text = data.get("text")
    if not isinstance(text, str) or len(text) > TEXT_MAX:
        errors["text"] = [
            _("Please send the text (at most %(max)d characters).") % {"max": TEXT_MAX}
        ]
    received_at = None
    try:
        received_at = _received_at(data.get("received_at"))
    except _Problem as problem:
        errors.update(problem.errors)
    if errors:
        raise _Problem(errors)
    return [
        InboundInput(
            gateway=InboundGateway.GENERIC,
            message_id=message_id.strip(),
            channel=channel,
            sender=sender,
            text=text,
            received_at=received_at,
        )
    ]


def parse_whatsapp_cloud(body: bytes) -> list[InboundInput]:
    """Messages of a WhatsApp Cloud API notification; delivery statuses are skipped."""
    data = _json(body)
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise _Problem({"detail": _("This is not a WhatsApp Cloud API notification.")})
    messages = []
    try:
        for entry in data["entry"]:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                for item in value.get("messages") or []:
                    kind = item.get("type", "")
                    if kind == "text":
                        text = (item.get("text") or {}).get("body", "")
                    else:
                        caption = (item.get(kind) or {}).get("caption", "") if kind else ""
                        text = f"[{kind}] {caption}".strip()
                    sender = str(item["from"])
                    stamp = dt.datetime.fromtimestamp(int(item["timestamp"]), tz=dt.UTC)
                    if not isinstance(text, str) or len(text) > TEXT_MAX:
                        raise _Problem({"text": [_("The message text is too long.")]})
                    messages.append(
                        InboundInput(
                            gateway=InboundGateway.WHATSAPP_CLOUD,
                            message_id=str(item["id"])[:200],
                            channel=IntakeChannel.WHATSAPP,
                            sender=sender if sender.startswith("+") else f"+{sender}",
                            text=text,
                            received_at=min(stamp, timezone.now()),
                        )
                    )
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError, OSError) as error:
        raise _Problem({"detail": _("This is not a WhatsApp Cloud API notification.")}) from error
    return messages


class ResultSerializer(serializers.Serializer):
    results = serializers.ListField(
        child=serializers.ChoiceField(choices=["appended", "draft", "duplicate"])
    )


_RESPONSES = {
    200: ResultSerializer,
    400: OpenApiResponse(description="Malformed body (after a valid signature)."),
    403: OpenApiResponse(description="Bad or missing signature: nothing stored."),
}
_SIGNATURE = OpenApiParameter(
    "X-Hub-Signature-256",
    location=OpenApiParameter.HEADER,
    required=True,
    description="sha256=<hex HMAC-SHA256 of the raw body with INBOUND_WEBHOOK_SECRET>",
)


class _WebhookView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parse = staticmethod(parse_generic)

    def post(self, request):
        body = request.body
        if not signature_valid(
            body=body,
            header=request.META.get(SIGNATURE_HEADER, ""),
            secret=settings.INBOUND_WEBHOOK_SECRET,
        ):
            logger.warning("inbound webhook with a bad or missing signature refused")
            return Response({"detail": _("Bad or missing signature.")}, status=403)
        try:
            messages = self.parse(body)
        except _Problem as problem:
            return Response(problem.errors, status=400)
        results = [inbound_message_receive(message=message)[0] for message in messages]
        return Response({"results": results})


class GenericInboundApi(_WebhookView):
    parse = staticmethod(parse_generic)

    @extend_schema(
        tags=[TAG],
        summary="A message from the SMS/WhatsApp gateway (signed)",
        parameters=[_SIGNATURE],
        request={"application/json": {"type": "object"}},
        responses=_RESPONSES,
    )
    def post(self, request):
        return super().post(request)


class WhatsAppCloudInboundApi(_WebhookView):
    parse = staticmethod(parse_whatsapp_cloud)

    @extend_schema(
        tags=[TAG],
        summary="WhatsApp Cloud API subscription handshake",
        parameters=[
            OpenApiParameter("hub.mode", str),
            OpenApiParameter("hub.verify_token", str),
            OpenApiParameter("hub.challenge", str),
        ],
        responses={200: OpenApiResponse(description="The challenge"), 403: None},
    )
    def get(self, request):
        token = settings.WHATSAPP_VERIFY_TOKEN
        given = request.query_params.get("hub.verify_token", "")
        if (
            request.query_params.get("hub.mode") == "subscribe"
            and token
            and hmac.compare_digest(token.encode(), given.encode())
        ):
            challenge = request.query_params.get("hub.challenge", "")[:200]
            return HttpResponse(challenge, content_type="text/plain")
        return HttpResponse(status=403)

    @extend_schema(
        tags=[TAG],
        summary="WhatsApp Cloud API notification (signed by the app secret)",
        parameters=[_SIGNATURE],
        request={"application/json": {"type": "object"}},
        responses=_RESPONSES,
    )
    def post(self, request):
        return super().post(request)
