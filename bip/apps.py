from django.apps import AppConfig


class BipConfig(AppConfig):
    name = "bip"
    verbose_name = "Business Improvement Plans"
