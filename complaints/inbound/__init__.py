"""Inbound channels: WhatsApp/SMS gateway webhooks and the IMAP mailbox poller.

Interfaces only: they verify and parse what the outside sends and call
`complaints.services.inbound.inbound_message_receive` once per message."""
