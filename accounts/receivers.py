from allauth.account.signals import password_reset
from django.dispatch import receiver

from accounts.services import email_address_verify


@receiver(password_reset)
def address_verified_by_reset_link(sender, request, user, **kwargs):
    # The link to choose a password (after an invitation or a reset) went to the account's
    # address, so whoever followed it reads that address.
    email_address_verify(user)
