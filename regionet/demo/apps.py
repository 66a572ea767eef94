from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "regionet.demo"
    verbose_name = "Demo"
