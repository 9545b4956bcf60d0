"""Surveys on the admin site are for support staff to look at; every change is made on the
plan's survey pages, through the services that keep answered surveys meaningful."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from surveys.models import Answer, Option, Question, Response, Survey


class QuestionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "type", "required", "scale_max"]
    show_change_link = True


# Options only appear under their question, read-only: an option someone chose must stay,
# and the builder is where options are reworded, added or removed.
class OptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["order", "text"]


class AnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "option", "rating", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "option")


# Read-only: activating a survey switches the milestone's other one off under a lock, and
# deleting one deletes its responses; the survey list does both with the confirmations
# they need.
@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "milestone", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title", "milestone__name"]
    list_select_related = ["milestone"]
    inlines = [QuestionInline]


# Read-only: a question's options, scale and order are kept consistent by the builder's
# services; Question.clean() also refuses changing an answered question's type or scale,
# whatever saves it.
@admin.register(Question)
class QuestionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["text", "survey", "type", "required", "order"]
    list_filter = ["type", "required"]
    search_fields = ["text", "survey__title"]
    list_select_related = ["survey"]
    inlines = [OptionInline]


# Read-only: a response is what a participant said, and it counts towards their progress;
# nobody else edits or removes it.
@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["survey", "respondent", "submitted_at"]
    list_select_related = ["survey", "respondent"]
    search_fields = ["survey__title", "respondent__email"]
    inlines = [AnswerInline]
