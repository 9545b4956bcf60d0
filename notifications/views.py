from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.forms import PreferencesForm
from notifications.kinds import kind_find
from notifications.links import unsubscribe_token_read
from notifications.recipients import Contact, recipient_resolve
from notifications.sections import preferences_sections
from notifications.selectors import preference_groups
from notifications.services import (
    notification_kind_turn_off,
    notification_kind_turn_on,
    notification_preferences_save,
)


@require_http_methods(["GET", "POST"])
def preferences(request):
    """Which kinds of email the signed-in person gets, one checkbox each."""
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notification_preferences_save(user=request.user, enabled=form.cleaned_data["kinds"])
            messages.success(request, _("Your email choices are saved."))
            return redirect("notifications:preferences")
        messages.error(request, _("Your email choices were not saved: please try again."))
    return render(
        request,
        "notifications/preferences.html",
        {
            "groups": preference_groups(request.user),
            "sections": preferences_sections(request),
        },
    )


# The token is the credential: mail clients that unsubscribe in one click (RFC 8058) POST to
# the link with neither a session nor a CSRF token. A GET only asks, so link scanners that
# follow every link in an email change nothing.
@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber, code = unsubscribe_token_read(token)
    except signing.BadSignature:
        raise Http404("This unsubscribe link is not valid.") from None
    kind = kind_find(code)
    if isinstance(subscriber, int):
        person = get_user_model().objects.filter(pk=subscriber).first()
    else:
        # An address that has an account by now is answered as the account.
        person = recipient_resolve(Contact(email=subscriber))
    if kind is None or not kind.unsubscribable or person is None:
        raise Http404("This unsubscribe link is not valid.")
    if person.language:
        # The page answers the email, which was in its recipient's language, whoever's
        # browser follows the link.
        translation.activate(person.language)
        request.LANGUAGE_CODE = translation.get_language()
    state = "ask"
    if request.method == "POST":
        if request.POST.get("resubscribe"):
            notification_kind_turn_on(recipient=person, kind=kind.code)
            state = "on"
        else:
            notification_kind_turn_off(recipient=person, kind=kind.code)
            state = "off"
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kind": kind,
            "label_in_sentence": _label_in_sentence(kind.label),
            "person": person,
            "has_account": not isinstance(person, Contact),
            "state": state,
        },
    )


def _label_in_sentence(label: str) -> str:
    """A kind's label inside a sentence: English writes it in lower case ("you will no longer
    get session reminders emails"); German keeps the capitals its nouns need."""
    return label.lower() if translation.get_language().startswith("en") else label
