from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = "Client collaboration"
