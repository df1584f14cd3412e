from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hazardledger.api"
    label = "api"
