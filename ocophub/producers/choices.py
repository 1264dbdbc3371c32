"""The choices of producer records, apart from the models so that the rule modules
beside them (validators.py) can use them without importing models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    COOP_GROUP = "coop_group", _("Cooperative group")
    ENTERPRISE = "enterprise", _("Enterprise")
    HOUSEHOLD = "household", _("Household business")


class ProducerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class TrademarkKind(models.TextChoices):
    ORDINARY = "ordinary", _("Trademark")
    COLLECTIVE = "collective", _("Collective trademark")
    CERTIFICATION = "certification", _("Certification trademark")
    GEOGRAPHICAL = "geographical", _("Geographical indication")
