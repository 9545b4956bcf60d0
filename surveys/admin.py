from django.contrib import admin

from surveys.models import Option, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "type", "required", "scale_max"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "milestone", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["title", "milestone__name"]
    list_select_related = ["milestone"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "type", "required", "order"]
    list_filter = ["type", "required"]
    search_fields = ["text", "survey__title"]
    list_select_related = ["survey"]
    inlines = [OptionInline]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "respondent", "submitted_at"]
    list_select_related = ["survey", "respondent"]
    search_fields = ["survey__title", "respondent__email"]
