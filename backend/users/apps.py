from django.apps import AppConfig


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"
    verbose_name = "Users and organizations"

    def ready(self) -> None:
        from users.events import EVENT_HANDLERS
        from users.services.webhooks import HANDLERS

        HANDLERS.update(EVENT_HANDLERS)
