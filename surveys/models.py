from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.models import HistoricalRecords


class Survey(models.Model):
    """Feedback collected from participants after a milestone; at most one is active."""

    milestone = models.ForeignKey(
        "milestones.Milestone", on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(gettext_lazy("survey title"), max_length=200)
    description = models.TextField(
        gettext_lazy("survey description"),
        blank=True,
        help_text=gettext_lazy("Why you ask: shown above the questions."),
    )
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["description", "created_at"])

    class Meta:
        ordering = ["milestone", "-is_active", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(is_active=True),
                name="surveys_one_active_survey_per_milestone",
            ),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Type(models.TextChoices):
        MCQ = "MCQ", gettext_lazy("Multiple choice")
        TEXT = "TEXT_BASED_RESPONSE", gettext_lazy("Text response")
        RATING = "RATING", gettext_lazy("Rating")
        OVERALL_RATING = "OVERALL_RATING", gettext_lazy("Overall star rating")
        OVERALL_TEXT = "OVERALL_TEXT_BASED_RESPONSE", gettext_lazy("Overall text feedback")

    # Each of these closes a survey, so a survey has at most one of each; a second one is
    # refused with these words.
    ONCE_PER_SURVEY = {
        Type.OVERALL_RATING: gettext_lazy(
            "This survey already has an overall star rating question."
        ),
        Type.OVERALL_TEXT: gettext_lazy(
            "This survey already has an overall text feedback question."
        ),
    }
    OVERALL_RATING_SCALE = 5

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(gettext_lazy("question"), max_length=500)
    type = models.CharField(max_length=32, choices=Type)
    required = models.BooleanField(default=True)
    scale_max = models.PositiveSmallIntegerField(
        gettext_lazy("rating scale"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=gettext_lazy("Ratings go from 1 to this number."),
    )

    class Meta:
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "type"],
                condition=Q(type__in=["OVERALL_RATING", "OVERALL_TEXT_BASED_RESPONSE"]),
                name="surveys_one_overall_question_of_each_type",
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        """Rules about this one question that every way of saving it keeps: one overall
        question of each kind per survey, five stars for an overall rating, and an answered
        question keeps its type and scale so that its answers keep their meaning."""
        super().clean()
        if self.type in self.ONCE_PER_SURVEY and self.survey_id is not None:
            others = Question.objects.filter(survey_id=self.survey_id, type=self.type)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError({"type": self.ONCE_PER_SURVEY[self.type]})
        if self.type == self.Type.OVERALL_RATING and self.scale_max != self.OVERALL_RATING_SCALE:
            raise ValidationError(
                {
                    "scale_max": _("An overall star rating is out of %(stars)s.")
                    % {"stars": self.OVERALL_RATING_SCALE}
                }
            )
        if self.pk is None:
            return
        stored = (
            Question.objects.filter(pk=self.pk)
            .order_by()
            .annotate(answer_count=Count("answers"))
            .values("type", "scale_max", "answer_count")
            .first()
        )
        if not stored or not stored["answer_count"]:
            return
        count = stored["answer_count"]
        if self.type != stored["type"]:
            raise ValidationError(
                {
                    "type": ngettext(
                        "%(count)s person has answered this question, so its type cannot "
                        "change. To ask it differently, duplicate the survey and make the copy "
                        "active.",
                        "%(count)s people have answered this question, so its type cannot "
                        "change. To ask it differently, duplicate the survey and make the copy "
                        "active.",
                        count,
                    )
                    % {"count": count}
                }
            )
        if self.is_rating and self.scale_max != stored["scale_max"]:
            raise ValidationError(
                {
                    "scale_max": ngettext(
                        "%(count)s person has answered this question on a scale of 1 to "
                        "%(scale)s, so the scale cannot change.",
                        "%(count)s people have answered this question on a scale of 1 to "
                        "%(scale)s, so the scale cannot change.",
                        count,
                    )
                    % {"count": count, "scale": stored["scale_max"]}
                }
            )

    @property
    def is_rating(self) -> bool:
        return self.type in (self.Type.RATING, self.Type.OVERALL_RATING)

    @property
    def scale(self) -> range:
        return range(1, self.scale_max + 1)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One participant's answers to one survey, given once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="surveys_one_response_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.respondent} on {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # A question or option that has answers cannot be deleted on its own: the answers would
    # lose their meaning. RESTRICT, unlike PROTECT, still lets a whole survey, milestone or
    # plan go, since its answers go in the same delete.
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.RESTRICT, null=True, blank=True, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="surveys_one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"Answer to “{self.question}”"
