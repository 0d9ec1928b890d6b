from django.apps import AppConfig


class PrefectureConfig(AppConfig):
    name = "prefecture"
    verbose_name = "Préfecture"

    def ready(self) -> None:
        from . import db  # noqa: F401 - connects the per-transaction timeouts for PgBouncer
