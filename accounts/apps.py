from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import receivers  # noqa: F401 - connects the receivers
        from accounts.services import set_password_url
        from notifications.kinds import Kind, SecretLink, kind_register

        kind_register(
            Kind(
                code="password_reset",
                label=_("Password reset"),
                description=_("The link to choose a new password, when you ask for one."),
                group=_("Your account"),
                unsubscribable=False,
                secret_links=(SecretLink(name="reset_url", build=set_password_url),),
            )
        )
        kind_register(
            Kind(
                code="account_notice",
                label=_("Account security"),
                description=_(
                    "Confirming a new email address, and notices when your password, "
                    "email address or two-factor authentication changes."
                ),
                group=_("Your account"),
                unsubscribable=False,
            )
        )
