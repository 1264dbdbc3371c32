from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ocophub.core"
    verbose_name = "OCOP Hub"
