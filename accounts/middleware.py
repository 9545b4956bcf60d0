import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _


class UserLocaleMiddleware:
    """Show the signed-in person's pages in their own language and time zone; before signing
    in, LocaleMiddleware has chosen the language from the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated:
            try:
                zone = zoneinfo.ZoneInfo(user.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        with timezone.override(zone):
            return self.get_response(request)


class MfaRequiredMiddleware:
    """Send a platform admin who has no second factor yet to set one up, before any other
    page: their account can reach every plan and project."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(("/accounts/", "/static/", "/health/"))
            and not is_mfa_enabled(user)
        ):
            messages.info(
                request,
                _(
                    "As a platform admin you need two-factor authentication: set up an "
                    "authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
