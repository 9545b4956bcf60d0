from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from milestones.models import PostAction, ProgressUpload


def _file_help() -> str:
    # Read when the form is built, so a changed UPLOAD_MAX_MB shows without a restart.
    return _(
        "PDF, Word, PowerPoint, Excel, OpenDocument, text or image files, up to %(limit)s."
    ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}


class ProgressUploadForm(forms.ModelForm):
    class Meta:
        model = ProgressUpload
        fields = ["file", "note"]
        labels = {"file": gettext_lazy("File"), "note": gettext_lazy("Note (optional)")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        # The participant's milestone page holds this form and the follow-up action's, each
        # with a file input: their own ids keep each label on its own picker.
        kwargs.setdefault("auto_id", "id_upload_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
        self.fields["note"].help_text = _("Anything the reviewer should know about this version.")


class PostActionForm(forms.ModelForm):
    class Meta:
        model = PostAction
        fields = ["text", "file"]
        labels = {
            "text": gettext_lazy("Your action"),
            "file": gettext_lazy("Attachment (optional)"),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_post_action_%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("What you will do (or did) after the session.")
        self.fields["file"].help_text = _file_help()
        action = self.instance
        if action.pk and action.file:
            self.fields["file"].widget.download_url = reverse(
                "milestones:post_action_download", args=[action.milestone.plan_id, action.pk]
            )


class ReviewCommentForm(forms.Form):
    """The comment that sends one upload back to its participant."""

    comment = forms.CharField(
        label=gettext_lazy("What should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Say what should change, so the participant can act on it.")
        },
    )

    def __init__(self, *args, upload_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_pk = upload_pk
