"""Saving a plan as a template, and starting a plan from a template or a copy of a plan."""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from bip.services import plan_create
from files.fields import UploadTo
from files.storage import delete_names_on_commit, file_copy, removed_on_failure
from milestones.selectors import PlanMilestonesBlueprint
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
        raise ValidationError("This programme has no milestones to copy.", code="empty")
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
