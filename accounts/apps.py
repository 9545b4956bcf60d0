from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts.services import set_password_url
        from notifications.kinds import Kind, SecretLink, kind_register

        kind_register(
            Kind(
                code="password_reset",
                label="Password reset",
                description="The link to choose a new password, when you ask for one.",
                group="Your account",
                unsubscribable=False,
                secret_links=(SecretLink(name="reset_url", build=set_password_url),),
            )
        )
