"""How django-allauth behaves in Cairn: accounts by invitation only, every email through the
outbox, failed sign-ins counted per address and network address together."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils import translation

from accounts.selectors import user_with_email
from notifications.recipients import Contact
from notifications.services import notification_create


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join Cairn when a plan or a project adds them, never by signing up.
        return False

    def send_password_reset_mail(self, user, email, context):
        # The link is built when the email is sent (the kind's secret link), so it never
        # rests in the outbox; allauth's own key for this email is not used.
        notification_create(
            recipient=user,
            kind="password_reset",
            subject_object=user,
            context={},
            # Every request is its own email: the key only has to be unique.
            idempotency_key=f"password-reset:{user.pk}:{uuid.uuid4()}",
        )

    def send_mail(self, template_prefix, email, context):
        # Address confirmations and security notices keep allauth's wording, sent through
        # the outbox like every other email and in the language of the account's other
        # emails, whoever's browser asked. A new address is not the account's yet: its
        # confirmation still goes out in the owner's language.
        owner = context.get("user")
        recipient = user_with_email(email) or Contact(
            email, language=getattr(owner, "language", "")
        )
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            message = self.render_mail(template_prefix, email, context)
        notification_create(
            recipient=recipient,
            kind="account_notice",
            context={"subject": message.subject, "body": message.body},
            idempotency_key=f"account:{template_prefix}:{uuid.uuid4()}",
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        # Failed sign-ins lock an address only from the network address they came from, so
        # an attacker elsewhere cannot lock its owner out; the per-network limit still holds.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # An identity provider signs in people Cairn already knows (matched by verified
        # email); it never creates an account.
        return False
