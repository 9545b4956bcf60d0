from django.apps import AppConfig
from django.urls import register_converter

from common.converters import IdConverter


class CommonConfig(AppConfig):
    name = "common"

    def ready(self):
        # Registered before any URLconf is imported: every app's URLs name ids as <id:…>.
        register_converter(IdConverter, "id")
