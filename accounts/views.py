from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.views.generic import UpdateView

from accounts.forms import ProfileForm


class ProfileView(SuccessMessageMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = "Your details are saved."

    def get_object(self, queryset=None):
        return self.request.user

    def form_invalid(self, form):
        messages.error(
            self.request, "Your details were not saved: please correct the errors below."
        )
        return super().form_invalid(form)
