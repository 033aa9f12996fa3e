"""SMS: encoding and cost (`estimate`), SMPP and HTTP-gateway transports, the channel the engine
calls (`channel.SmsChannel`), receipts joined per message and STOP replies (`receipts`)."""

from abwab.messaging.sms.encoding import Estimate, estimate

__all__ = ["Estimate", "estimate"]
