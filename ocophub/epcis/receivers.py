"""What the epcis app does when its own events happen."""

from django.dispatch import receiver

from .models import Capture
from .store import captured
from .subscriptions import notify


@receiver(captured, sender=Capture)
def deliver_to_subscribers(sender, capture_id, **kwargs):
    notify(capture_id)
