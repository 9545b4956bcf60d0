import time

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import UpdateView

from accounts.forms import ProfileForm


class ProfileView(SuccessMessageMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your details are saved.")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        # The confirmation speaks the language just chosen, as the page it shows on will.
        translation.activate(
            form.cleaned_data["language"] or translation.get_language_from_request(self.request)
        )
        return super().form_valid(form)

    def form_invalid(self, form):
        messages.error(
            self.request, _("Your details were not saved: please correct the errors below.")
        )
        return super().form_invalid(form)


# Long enough to cover recording and queueing a reset email, so the answer takes the same time
# whether or not an account uses the address.
PASSWORD_RESET_SECONDS = 0.5


def password_reset(request):
    """allauth's password reset, answering a request no sooner than PASSWORD_RESET_SECONDS
    after it arrived, so the time taken does not tell which addresses have an account."""
    began = time.monotonic()
    response = allauth_views.password_reset(request)
    if request.method == "POST":
        time.sleep(max(0.0, PASSWORD_RESET_SECONDS - (time.monotonic() - began)))
    return response
