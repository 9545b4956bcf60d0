"""Saving a plan as a template, and starting a plan from a template or a copy of a plan."""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bip.services import plan_create
from files.fields import UploadTo
from files.storage import delete_names_on_commit, file_copy, removed_on_failure
from milestones.selectors import PlanMilestonesBlueprint, SessionTiming
from milestones.services import plan_milestones_build
from programmes.models import PlanOrigin, PlanTemplate
from programmes.selectors import (
    Programme,
    plan_template_of,
    programme_calendar,
    programme_of_plan,
)
from surveys.services import surveys_build

if TYPE_CHECKING:
    from accounts.models import User
    from bip.models import Plan

# Where a template keeps its own copies of the activity files.
TEMPLATE_FILES = UploadTo("plan-templates")


def template_save(*, plan: Plan, name: str, with_trainers: bool, created_by: User) -> PlanTemplate:
    """Save the plan as a template to run again. The template keeps its own copy of every
    activity file, so deleting the plan later leaves it whole."""
    programme = programme_of_plan(plan, with_trainers=with_trainers)
    with removed_on_failure() as stored:
        return _template_create(
            plan=plan,
            programme=_with_copied_files(programme, stored),
            name=name,
            with_trainers=with_trainers,
            created_by=created_by,
        )


@transaction.atomic
def _template_create(*, plan, programme, name, with_trainers, created_by) -> PlanTemplate:
    template = PlanTemplate(
        name=name.strip(),
        description=plan.description,
        content=programme.to_json(),
        milestone_count=len(programme.milestones.milestones),
        time_zone=plan.time_zone,
        with_trainers=with_trainers,
        source_plan=plan,
        created_by=created_by,
    )
    template.full_clean()
    template.save()
    return template


def _with_copied_files(programme: Programme, stored: list[str]) -> Programme:
    milestones = []
    for milestone in programme.milestones.milestones:
        activities = []
        for activity in milestone.activities:
            if activity.file:
                copy = file_copy(activity.file, upload_to=TEMPLATE_FILES)
                stored.append(copy)
                activity = dataclasses.replace(activity, file=copy)
            activities.append(activity)
        milestones.append(dataclasses.replace(milestone, activities=tuple(activities)))
    return dataclasses.replace(
        programme,
        milestones=PlanMilestonesBlueprint(
            milestones=milestones, trainers=programme.milestones.trainers
        ),
    )


@transaction.atomic
def template_update(*, template: PlanTemplate, name: str, description: str) -> PlanTemplate:
    template.name = name.strip()
    template.description = description.strip()
    template.full_clean()
    template.save(update_fields=["name", "description"])
    return template


def _template_locked(template: PlanTemplate) -> tuple[PlanTemplate, Programme]:
    # Two people editing one template's milestones at once each change the whole snapshot:
    # the lock makes the second start from the first one's result.
    locked = PlanTemplate.objects.select_for_update().get(pk=template.pk)
    return locked, Programme.from_json(locked.content)


def _template_store(template: PlanTemplate, programme: Programme, milestones) -> None:
    keys = {milestone.key for milestone in milestones}
    used = {key for milestone in milestones for key in milestone.trainer_keys}
    programme = dataclasses.replace(
        programme,
        milestones=PlanMilestonesBlueprint(
            milestones=list(milestones),
            trainers=[t for t in programme.milestones.trainers if t.key in used],
        ),
        surveys={key: surveys for key, surveys in programme.surveys.items() if key in keys},
    )
    template.content = programme.to_json()
    template.milestone_count = len(milestones)
    template.save(update_fields=["content", "milestone_count"])


@transaction.atomic
def template_milestone_update(
    *, template: PlanTemplate, key: int, settings: dict, timing: SessionTiming | None
) -> PlanTemplate:
    """Change one of the template's milestones: its settings, meeting details and when its
    session falls relative to the plan's start. Its activities and surveys stay."""
    template, programme = _template_locked(template)
    milestones = [
        dataclasses.replace(milestone, settings={**milestone.settings, **settings}, timing=timing)
        if milestone.key == key
        else milestone
        for milestone in programme.milestones.milestones
    ]
    _template_store(template, programme, milestones)
    return template


@transaction.atomic
def template_milestone_move(
    *, template: PlanTemplate, key: int, direction: Literal["up", "down"]
) -> PlanTemplate:
    """Swap one of the template's milestones with its neighbour."""
    template, programme = _template_locked(template)
    milestones = list(programme.milestones.milestones)
    index = next(i for i, milestone in enumerate(milestones) if milestone.key == key)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(milestones):
        milestones[index], milestones[target] = milestones[target], milestones[index]
    _template_store(template, programme, milestones)
    return template


@transaction.atomic
def template_milestone_remove(*, template: PlanTemplate, key: int) -> PlanTemplate:
    """Take a milestone out of the template with its activities (and the template's copies
    of their files) and surveys. Plans already started from it keep theirs."""
    template, programme = _template_locked(template)
    milestones = programme.milestones.milestones
    removed = next(milestone for milestone in milestones if milestone.key == key)
    if len(milestones) == 1:
        raise ValidationError(
            _("A template keeps at least one milestone: delete the template instead."),
            code="last_milestone",
        )
    _template_store(template, programme, [m for m in milestones if m.key != key])
    delete_names_on_commit([activity.file for activity in removed.activities if activity.file])
    return template


@transaction.atomic
def template_delete(*, template: PlanTemplate) -> None:
    """Delete the template and its own copies of the activity files; plans started from it
    have copies of their own."""
    names = Programme.from_json(template.content).file_names
    template.delete()
    delete_names_on_commit(names)


def plan_start(
    *,
    programme: Programme,
    name: str,
    start_date: datetime.date,
    time_zone: str,
    skip_weekends: bool = False,
    created_by: User | None = None,
    template: PlanTemplate | None = None,
    copied_from: Plan | None = None,
) -> Plan:
    """Create a plan running the programme from `start_date` in `time_zone`, as the preview
    (programme_calendar) shows it, in one transaction: its milestones with all their
    settings, each session tentative so that no invitation goes out before its admins
    confirm it, its trainers, activities (with files of its own) and surveys. The plan has
    no members yet. It remembers the template or plan it came from (see PlanOrigin)."""
    with removed_on_failure() as stored:
        return _plan_create(
            programme=programme,
            name=name,
            start_date=start_date,
            time_zone=time_zone,
            skip_weekends=skip_weekends,
            created_by=created_by,
            stored=stored,
            origin=PlanOrigin(template=template, copied_from=copied_from),
        )


@transaction.atomic
def _plan_create(
    *, programme, name, start_date, time_zone, skip_weekends, created_by, stored, origin
) -> Plan:
    if not programme.milestones.milestones:
        raise ValidationError(_("This programme has no milestones to copy."), code="empty")
    calendar = programme_calendar(
        programme, start_date=start_date, time_zone=time_zone, skip_weekends=skip_weekends
    )
    plan = plan_create(
        name=name.strip(),
        description=programme.description,
        start_date=calendar.start_date,
        end_date=calendar.end_date,
        time_zone=time_zone,
    )
    milestones = plan_milestones_build(
        plan=plan,
        blueprint=programme.milestones,
        sessions=calendar.sessions,
        stored=stored,
        created_by=created_by,
    )
    surveys_build(
        surveys=[
            (milestones[key], surveys) for key, surveys in programme.surveys.items() if surveys
        ],
        created_by=created_by,
    )
    origin.plan = plan
    origin.save()
    return plan


def plan_copy(
    *,
    plan: Plan,
    name: str,
    start_date: datetime.date,
    time_zone: str,
    skip_weekends: bool = False,
    created_by: User | None = None,
) -> Plan:
    """A new plan running the same programme as `plan` (trainers included) from another
    start date, without keeping a template. A copy of a plan started from a template is
    another cohort of that template."""
    return plan_start(
        programme=programme_of_plan(plan, with_trainers=True),
        name=name,
        start_date=start_date,
        time_zone=time_zone,
        skip_weekends=skip_weekends,
        created_by=created_by,
        template=plan_template_of(plan),
        copied_from=plan,
    )
