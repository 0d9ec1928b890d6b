from django.apps import AppConfig


class PrefectureConfig(AppConfig):
    name = "prefecture"
    verbose_name = "Préfecture"
