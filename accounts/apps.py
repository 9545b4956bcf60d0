from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import receivers  # noqa: F401 - connects the receivers
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
        kind_register(
            Kind(
                code="account_notice",
                label="Account security",
                description="Confirming a new email address, and notices when your password, "
                "email address or two-factor authentication changes.",
                group="Your account",
                unsubscribable=False,
            )
        )
