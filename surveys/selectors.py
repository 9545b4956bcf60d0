from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from bip.models import Plan
from milestones.models import Milestone
from milestones.selectors import get_milestone_for_user
from surveys.models import Answer, Option, Question, Response, Survey


def get_survey_for_user(user, plan_pk, milestone_pk, pk) -> Survey:
    """A survey of a milestone this person manages; 404 for anyone else, and for a survey
    of another milestone."""
    milestone = get_milestone_for_user(user, plan_pk, milestone_pk, manage=True)
    return get_object_or_404(milestone.surveys.all(), pk=pk)


def get_question_for_user(user, plan_pk, milestone_pk, survey_pk, pk) -> Question:
    survey = get_survey_for_user(user, plan_pk, milestone_pk, survey_pk)
    return get_object_or_404(
        survey.questions.annotate(answer_count=_count(Answer, "question")), pk=pk
    )


def _count(model, field: str) -> Coalesce:
    """Count rows of `model` pointing at the outer row through `field`. A subquery per
    count keeps two counts from multiplying each other the way two joins would."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _surveys_with_counts() -> QuerySet[Survey]:
    return Survey.objects.annotate(
        question_count=_count(Question, "survey"), response_count=_count(Response, "survey")
    )


def milestone_surveys(milestone: Milestone) -> QuerySet[Survey]:
    """The Survey List: the active survey first, then the others oldest first."""
    return (
        _surveys_with_counts()
        .filter(milestone=milestone)
        .order_by("-is_active", "created_at", "pk")
    )


def survey_questions(survey: Survey) -> QuerySet[Question]:
    """The survey's questions in order with their options, each with how often it has been
    answered: the builder locks what has answers."""
    return (
        survey.questions.order_by("order", "pk")
        .annotate(answer_count=_count(Answer, "question"))
        .prefetch_related(
            Prefetch(
                "options",
                queryset=Option.objects.order_by("order", "pk").annotate(
                    answer_count=_count(Answer, "option")
                ),
            )
        )
    )


def question_options(question: Question) -> QuerySet[Option]:
    return question.options.order_by("order", "pk").annotate(answer_count=_count(Answer, "option"))


def plan_surveys(plan: Plan) -> QuerySet[Milestone]:
    """Every milestone of the plan in order, with its surveys and their counts."""
    return (
        plan.milestones.order_by("order", "pk")
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "surveys",
                queryset=_surveys_with_counts().order_by("-is_active", "created_at", "pk"),
            )
        )
    )
