"""Surveys and their questions, built by a plan's admins.

Once people have answered a survey, its answers keep their meaning: wording, the required
flag and new questions or options may change, but nothing that was answered may be deleted
and an answered question keeps its type and scale. To ask differently, duplicate the survey
and make the copy active.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from surveys.models import Answer, Option, Question, Survey
from surveys.selectors import SurveyBlueprint

if TYPE_CHECKING:
    from accounts.models import User
    from milestones.models import Milestone

RATING_SCALE_MIN, RATING_SCALE_MAX = 2, 10


@dataclass(frozen=True)
class OptionEdit:
    """One option as the admin wants it: an existing option (by id) with its new wording,
    or a new option (no id)."""

    text: str
    pk: int | None = None


@transaction.atomic
def survey_create(*, milestone: Milestone, title: str, description: str = "") -> Survey:
    survey = Survey(milestone=milestone, title=title.strip(), description=description.strip())
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, title: str, description: str = "") -> Survey:
    survey.title = title.strip()
    survey.description = description.strip()
    survey.full_clean()
    survey.save(update_fields=["title", "description"])
    return survey


@transaction.atomic
def survey_activate(*, survey: Survey, by: User | None = None) -> Survey:
    """Make this the survey participants answer; the milestone's other active survey, if
    any, stops being active in the same step."""
    # Two admins activating different surveys of one milestone at once queue on its surveys'
    # rows instead of one of them hitting the one-active-survey constraint.
    list(
        Survey.objects.select_for_update()
        .filter(milestone_id=survey.milestone_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The previous survey is switched off first: the constraint is checked row by row.
    previous = list(
        Survey.objects.filter(milestone_id=survey.milestone_id, is_active=True).exclude(
            pk=survey.pk
        )
    )
    Survey.objects.filter(pk__in=[other.pk for other in previous]).update(is_active=False)
    Survey.objects.filter(pk=survey.pk).update(is_active=True)
    for other in previous:
        other.is_active = False
    survey.is_active = True
    # Updated in bulk for the constraint's sake, so the history is written here.
    Survey.history.bulk_history_create([*previous, survey], update=True, default_user=by)
    return survey


@transaction.atomic
def survey_deactivate(*, survey: Survey, by: User | None = None) -> Survey:
    Survey.objects.filter(pk=survey.pk).update(is_active=False)
    survey.is_active = False
    Survey.history.bulk_history_create([survey], update=True, default_user=by)
    return survey


@transaction.atomic
def survey_duplicate(*, survey: Survey) -> Survey:
    """A new, inactive survey with the same questions and options and no responses: the
    way to change what an answered survey asks. Its title says it is a copy, in the language
    of the admin who makes it, shortening the original's title if it has to."""
    copy_title = _("%(title)s (copy)")
    room = Survey._meta.get_field("title").max_length - len(copy_title % {"title": ""})
    copy = Survey.objects.create(
        milestone_id=survey.milestone_id,
        title=copy_title % {"title": Truncator(survey.title).chars(room, truncate="…")},
        description=survey.description,
        is_active=False,
    )
    questions = list(survey.questions.order_by("order", "pk").prefetch_related("options"))
    new_questions = Question.objects.bulk_create(
        Question(
            survey=copy,
            order=question.order,
            text=question.text,
            type=question.type,
            required=question.required,
            scale_max=question.scale_max,
        )
        for question in questions
    )
    Option.objects.bulk_create(
        Option(question=new_question, order=option.order, text=option.text)
        for question, new_question in zip(questions, new_questions, strict=True)
        for option in question.options.all()
    )
    return copy


@transaction.atomic
def survey_delete(*, survey: Survey) -> None:
    """Delete the survey with its questions and every response to it."""
    survey.delete()


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    type: str,
    text: str,
    required: bool = True,
    scale_max: int | None = None,
    options: Sequence[str] = (),
) -> Question:
    """Add a question at the end of the survey. Options count for multiple choice only and
    the scale for a rating only; an overall star rating always has five stars."""
    _lock(survey)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    question = Question(
        survey=survey,
        order=0 if last is None else last + 1,
        text=text.strip(),
        type=type,
        required=required,
        scale_max=_scale(type=type, scale_max=scale_max),
    )
    question.full_clean()
    texts = _option_texts(options) if type == Question.Type.MCQ else []
    question.save()
    Option.objects.bulk_create(
        Option(question=question, order=order, text=option) for order, option in enumerate(texts)
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    type: str,
    text: str,
    required: bool,
    scale_max: int | None = None,
    options: Sequence[OptionEdit] = (),
) -> Question:
    """Change a question. `options` is the whole list of options as they should be, in
    order: existing options left out of it are removed. Anything people have answered is
    kept: an answered question keeps its type and scale (the model's rule) and an answered
    option stays."""
    _lock(question.survey)
    question.type = type
    question.text = text.strip()
    question.required = required
    question.scale_max = _scale(type=type, scale_max=scale_max)
    question.full_clean()

    current = {option.pk: option for option in question.options.all()}
    edits = list(options) if type == Question.Type.MCQ else []
    unknown = {edit.pk for edit in edits if edit.pk is not None} - current.keys()
    if unknown:
        raise ValidationError(
            {"options": _("An option of another question cannot be edited here.")}
        )
    if any(edit.pk is not None and not edit.text.strip() for edit in edits):
        raise ValidationError(
            {"options": _("An option cannot be empty: give it some words or remove it.")}
        )
    edits = [edit for edit in edits if edit.text.strip()]
    if type == Question.Type.MCQ:
        _option_texts([edit.text for edit in edits])
    kept = {edit.pk for edit in edits if edit.pk is not None}
    removed = [option for pk, option in current.items() if pk not in kept]
    chosen = _answer_counts(removed)
    if chosen:
        option, count = chosen[0]
        raise ValidationError(
            {
                "options": ngettext(
                    "“%(option)s” was chosen in %(count)s answer, so it cannot be removed. You "
                    "can still change its wording.",
                    "“%(option)s” was chosen in %(count)s answers, so it cannot be removed. You "
                    "can still change its wording.",
                    count,
                )
                % {"option": option.text, "count": count}
            }
        )
    question.save()

    Option.objects.filter(pk__in=[option.pk for option in removed]).delete()
    changed, added = [], []
    for order, edit in enumerate(edits):
        if edit.pk is None:
            added.append(Option(question=question, order=order, text=edit.text.strip()))
            continue
        option = current[edit.pk]
        if (option.order, option.text) != (order, edit.text.strip()):
            option.order, option.text = order, edit.text.strip()
            changed.append(option)
    Option.objects.bulk_update(changed, ["order", "text"])
    Option.objects.bulk_create(added)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    answered = question.answers.count()
    if answered:
        raise ValidationError(
            ngettext(
                "%(count)s person has answered “%(question)s”, so it cannot be deleted. To ask "
                "different questions, duplicate the survey and make the copy active.",
                "%(count)s people have answered “%(question)s”, so it cannot be deleted. To ask "
                "different questions, duplicate the survey and make the copy active.",
                answered,
            )
            % {"count": answered, "question": question.text}
        )
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: Literal["up", "down"]) -> None:
    """Swap the question with the one before or after it; the first cannot go up nor the
    last down."""
    _lock(question.survey)
    questions = list(question.survey.questions.order_by("order", "pk"))
    here = next(index for index, row in enumerate(questions) if row.pk == question.pk)
    there = here - 1 if direction == "up" else here + 1
    if not 0 <= there < len(questions):
        return
    questions[here], questions[there] = questions[there], questions[here]
    # Renumbering the whole list also straightens out equal or missing order numbers.
    changed = []
    for order, row in enumerate(questions):
        if row.order != order:
            row.order = order
            changed.append(row)
    Question.objects.bulk_update(changed, ["order"])


def _lock(survey: Survey) -> None:
    """Admins editing one survey at once take turns, so the once-per-survey and ordering
    checks see each other's work."""
    # Without the default ordering, which would join (and so also lock) the milestone.
    Survey.objects.select_for_update().filter(pk=survey.pk).order_by().first()


def _scale(*, type: str, scale_max: int | None) -> int:
    if type == Question.Type.RATING:
        if scale_max is None or not RATING_SCALE_MIN <= scale_max <= RATING_SCALE_MAX:
            raise ValidationError(
                {
                    "scale_max": _("A rating goes from 1 up to a number from %(min)s to %(max)s.")
                    % {"min": RATING_SCALE_MIN, "max": RATING_SCALE_MAX}
                }
            )
        return scale_max
    # Stars are always out of five; other types have no scale and keep the default.
    return Question.OVERALL_RATING_SCALE


def _option_texts(texts: Sequence[str]) -> list[str]:
    """The options, trimmed and without blank lines; at least two, all different."""
    cleaned = [text.strip() for text in texts if text.strip()]
    seen = set()
    for text in cleaned:
        if text.casefold() in seen:
            raise ValidationError(
                {
                    "options": _("“%(option)s” is listed twice: options must differ.")
                    % {"option": text}
                }
            )
        seen.add(text.casefold())
    if len(cleaned) < 2:
        raise ValidationError(
            {"options": _("A multiple choice question needs at least two different options.")}
        )
    return cleaned


def _answer_counts(options: Sequence[Option]) -> list[tuple[Option, int]]:
    """The options among these that have been chosen, with how often."""
    if not options:
        return []
    by_pk = {option.pk: option for option in options}
    counts = (
        Answer.objects.filter(option__in=by_pk)
        .order_by("option")
        .values_list("option")
        .annotate(n=Count("pk"))
    )
    return [(by_pk[pk], n) for pk, n in counts]


@transaction.atomic
def surveys_build(
    *,
    surveys: Sequence[tuple[Milestone, Sequence[SurveyBlueprint]]],
    created_by: User | None = None,
) -> list[Survey]:
    """Give new milestones the blueprints' surveys with their questions and options, in a
    fixed number of queries however many there are. At most one per milestone stays active,
    as the constraint wants."""
    built: list[tuple[Survey, SurveyBlueprint]] = []
    for milestone, blueprints in surveys:
        active_taken = False
        for blueprint in blueprints:
            survey = Survey(
                milestone=milestone,
                title=blueprint.title,
                description=blueprint.description,
                is_active=blueprint.is_active and not active_taken,
            )
            active_taken = active_taken or survey.is_active
            survey.clean_fields(exclude=["milestone"])
            built.append((survey, blueprint))
    bulk_create_with_history([survey for survey, _ in built], Survey, default_user=created_by)
    questions = []
    for survey, blueprint in built:
        for order, item in enumerate(blueprint.questions):
            question = Question(
                survey=survey,
                order=order,
                text=item.text,
                type=item.type,
                required=item.required,
                scale_max=item.scale_max,
            )
            question.clean_fields(exclude=["survey"])
            questions.append((question, item))
    Question.objects.bulk_create([question for question, _ in questions])
    Option.objects.bulk_create(
        Option(question=question, order=order, text=text)
        for question, item in questions
        for order, text in enumerate(item.options)
    )
    return [survey for survey, _ in built]
