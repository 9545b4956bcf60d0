from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bip.selectors import get_plan_for_participant, get_plan_for_user, plans_managed_by
from milestones.models import Activity, ActivityView, Milestone, Trainer
from milestones.signals import Content, milestone_contents

if TYPE_CHECKING:
    from bip.models import Plan


def get_milestone_for_user(user, plan_pk, pk, *, manage: bool = True) -> Milestone:
    """A milestone of a plan this person may manage (or see); 404 otherwise."""
    plan = get_plan_for_user(user, plan_pk, manage=manage)
    return get_object_or_404(Milestone.objects.select_related("plan"), plan=plan, pk=pk)


def get_milestone_for_participant(user, plan_pk, pk) -> Milestone:
    """A milestone of a plan this person takes part in as a participant; 404 otherwise."""
    plan = get_plan_for_participant(user, plan_pk)
    return get_object_or_404(Milestone.objects.select_related("plan"), plan=plan, pk=pk)


def milestones_in_charge_of(user) -> QuerySet[Milestone]:
    """The milestones whose register and uploads a person looks after: every milestone of
    the plans they manage, and for a trainer with a login the ones they are assigned to."""
    if not user.is_authenticated:
        return Milestone.objects.none()
    return Milestone.objects.filter(
        Q(plan__in=plans_managed_by(user))
        | Q(pk__in=Milestone.objects.filter(trainers__user=user).values("pk"))
    )


def get_milestone_in_charge(user, plan_pk, pk) -> Milestone:
    """A milestone this person looks after (see milestones_in_charge_of); 404 otherwise."""
    return get_object_or_404(
        milestones_in_charge_of(user).select_related("plan"), plan_id=plan_pk, pk=pk
    )


def manages_plan(user, plan_id) -> bool:
    """Whether the person manages the plan, not only runs some of its sessions: a trainer
    sees none of the management pages."""
    return plans_managed_by(user).filter(pk=plan_id).exists()


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone in its plan's list, with what it holds."""

    milestone: Milestone
    trainer_count: int
    pre_count: int
    post_count: int
    contents: list[Content]
    # The numbers of the plan's other milestones with the same name.
    same_name_as: list[int] = field(default_factory=list)

    @property
    def name_key(self) -> str:
        """The name as `same_name_as` compares it, for the page's script to number the
        milestones named alike again once one is dragged elsewhere."""
        return name_key(self.milestone.name)


def name_key(name: str) -> str:
    """A milestone name as people read it: "Coaching  session" and "coaching session" are
    the same name to a participant choosing from a list."""
    return " ".join(name.split()).casefold()


def _same_names(names: Sequence[str]) -> list[list[int]]:
    """For each name (in plan order), the numbers (1, 2, 3...) of the other names like it."""
    numbers: dict[str, list[int]] = defaultdict(list)
    for number, name in enumerate(names, start=1):
        numbers[name_key(name)].append(number)
    return [
        [other for other in numbers[name_key(name)] if other != number]
        for number, name in enumerate(names, start=1)
    ]


@dataclass(frozen=True)
class NameTwin:
    number: int
    milestone_id: int
    name: str


def milestones_with_same_name(milestone: Milestone) -> list[NameTwin]:
    """The plan's other milestones named like this one, with their numbers in the plan; a
    name may repeat (a second "Coaching session"), but people are told, as two alike are
    hard to tell apart in lists and emails."""
    if milestone.plan_id is None:
        return []
    rows = milestone.plan.milestones.order_by("order", "pk").values_list("pk", "name")
    key = name_key(milestone.name)
    return [
        NameTwin(number, pk, name)
        for number, (pk, name) in enumerate(rows, start=1)
        if pk != milestone.pk and name_key(name) == key
    ]


def plan_milestones(plan: Plan) -> list[MilestoneRow]:
    """The plan's milestones in order with their counts, in a fixed number of queries."""
    milestones = list(
        plan.milestones.order_by("order", "pk")
        .annotate(
            pre_count=Count(
                "activities", filter=Q(activities__phase=Activity.Phase.PRE), distinct=True
            ),
            post_count=Count(
                "activities", filter=Q(activities__phase=Activity.Phase.POST), distinct=True
            ),
            trainer_count=Count("trainers", distinct=True),
        )
        .select_related("plan")
    )
    contents = contents_of(milestones)
    same_names = _same_names([milestone.name for milestone in milestones])
    return [
        MilestoneRow(
            milestone=milestone,
            trainer_count=milestone.trainer_count,
            pre_count=milestone.pre_count,
            post_count=milestone.post_count,
            contents=contents[milestone.pk],
            same_name_as=same_name_as,
        )
        for milestone, same_name_as in zip(milestones, same_names, strict=True)
    ]


@dataclass(frozen=True)
class DeletionSummary:
    """What deleting a milestone takes with it, for the confirmation page."""

    activity_count: int
    trainer_count: int
    attendance_count: int
    upload_count: int
    post_action_count: int
    contents: list[Content]


def _count_of(relation: str):
    """The number of a milestone's rows of one kind, as a subquery, so that counting
    several kinds does not multiply them in one join."""
    related = Milestone._meta.get_field(relation).related_model
    return Coalesce(
        Subquery(
            related.objects.filter(milestone=OuterRef("pk"))
            .order_by()
            .values("milestone")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


def milestone_deletion_summary(milestone: Milestone) -> DeletionSummary:
    """In a fixed number of queries, whatever the milestone holds."""
    counts = (
        Milestone.objects.filter(pk=milestone.pk)
        .annotate(
            activity_count=_count_of("activities"),
            attendance_count=_count_of("attendances"),
            upload_count=_count_of("uploads"),
            post_action_count=_count_of("post_actions"),
            trainer_count=Coalesce(
                Subquery(
                    Milestone.trainers.through.objects.filter(milestone=OuterRef("pk"))
                    .order_by()
                    .values("milestone")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            ),
        )
        .values(
            "activity_count",
            "trainer_count",
            "attendance_count",
            "upload_count",
            "post_action_count",
        )
        .get()
    )
    return DeletionSummary(**counts, contents=contents_of([milestone])[milestone.pk])


def milestone_activities(milestone: Milestone, phase: str) -> QuerySet[Activity]:
    return milestone.activities.filter(phase=phase).order_by("order", "pk")


@dataclass(frozen=True)
class TrainerRow:
    trainer: Trainer
    milestone_count: int


def plan_trainers(plan: Plan) -> list[TrainerRow]:
    """The plan's trainers, each with how many of its milestones they run; one query."""
    trainers = plan.trainers.annotate(milestone_count=Count("milestones")).order_by("name", "pk")
    return [TrainerRow(trainer, trainer.milestone_count) for trainer in trainers]


def selected_trainers(milestone: Milestone) -> list[TrainerRow]:
    """The milestone's trainers, each with how many of the plan's milestones they run."""
    # Counting through the same join that selects the milestone's trainers would give 1.
    trainers = (
        Trainer.objects.filter(pk__in=milestone.trainers.values("pk"))
        .annotate(milestone_count=Count("milestones"))
        .order_by("name", "pk")
    )
    return [TrainerRow(trainer, trainer.milestone_count) for trainer in trainers]


def milestone_trainer_list(milestone: Milestone) -> list[Trainer]:
    """Who runs the milestone's session, by name."""
    return list(milestone.trainers.order_by("name", "pk"))


def milestones_of_plans(plan_ids: Iterable[int]) -> list[Milestone]:
    """Every milestone of these plans, plan by plan in each plan's order; one query."""
    return list(
        Milestone.objects.filter(plan_id__in=list(plan_ids))
        .select_related("plan")
        .order_by("plan_id", "order", "pk")
    )


def milestones_run_by(user) -> QuerySet[Milestone]:
    """The milestones a trainer with an account runs, soonest first."""
    return (
        Milestone.objects.filter(trainers__user=user)
        .select_related("plan__archived_by")
        .distinct()
        .order_by("starts_at", "plan__name", "order")
    )


def contents_of(milestones: Sequence[Milestone]) -> dict[int, list[Content]]:
    """What other apps keep for each of these milestones (see milestones.signals)."""
    merged: dict[int, list[Content]] = defaultdict(list)
    if not milestones:
        return merged
    for _receiver, answer in milestone_contents.send(sender=Milestone, milestones=milestones):
        for milestone_id, contents in answer.items():
            merged[milestone_id].extend(contents)
    return merged


# What participants see of activities


@dataclass(frozen=True)
class ActivityItem:
    activity: Activity
    opened: bool


@dataclass(frozen=True)
class ParticipantActivities:
    pre: list[ActivityItem]
    post: list[ActivityItem]


def participant_activities(milestone: Milestone, user) -> ParticipantActivities:
    """The milestone's activities, each saying whether this person has opened it; one query."""
    activities = milestone.activities.annotate(
        opened=Exists(ActivityView.objects.filter(activity=OuterRef("pk"), participant=user))
    ).order_by("order", "pk")
    grouped = ParticipantActivities(pre=[], post=[])
    for activity in activities:
        items = grouped.pre if activity.phase == Activity.Phase.PRE else grouped.post
        items.append(ActivityItem(activity, activity.opened))
    return grouped


def unopened_pre_activities(milestone_ids: Iterable[int], user) -> list[Activity]:
    """Pre-session activities of these milestones that the person has not opened yet, in
    milestone order; one query."""
    return list(
        Activity.objects.filter(milestone_id__in=list(milestone_ids), phase=Activity.Phase.PRE)
        .exclude(views__participant=user)
        .select_related("milestone")
        .order_by("milestone__order", "milestone_id", "order", "pk")
    )


# Moving a plan's schedule

MAX_SHIFT_DAYS = 365


@dataclass(frozen=True)
class ShiftedSession:
    """A scheduled milestone and where a shift puts it; one whose session has started stays
    where it is, as its attendance is recorded against the days it was held."""

    milestone: Milestone
    new_starts_at: datetime.datetime
    new_ends_at: datetime.datetime
    held: bool

    @property
    def moves(self) -> bool:
        return not self.held

    @property
    def shifted(self) -> Milestone:
        """The milestone with its session where the shift puts it, unsaved, so that the
        preview writes the new time the way every page writes a session."""
        milestone = self.milestone
        return Milestone(
            plan=milestone.plan,
            name=milestone.name,
            multi_day=milestone.multi_day,
            location=milestone.location,
            starts_at=self.new_starts_at,
            ends_at=self.new_ends_at,
        )


def session_preview(
    *, time_zone: str, name: str, multi_day: bool, location: str, starts_at, ends_at
) -> Milestone:
    """An unsaved milestone of an unsaved plan in `time_zone`, for a page that shows a
    session not made yet (a new plan's calendar), so it is written like every other one."""
    plan = Milestone._meta.get_field("plan").related_model(time_zone=time_zone)
    return Milestone(
        plan=plan,
        name=name,
        multi_day=multi_day,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
    )


@dataclass(frozen=True)
class ScheduleShift:
    """What moving a plan's schedule by `days` does: every session ahead moves by that many
    days, and so does the plan's end (and its start, while it has not started yet)."""

    plan: Plan
    days: int
    sessions: list[ShiftedSession]
    new_start_date: datetime.date
    new_end_date: datetime.date
    problems: list[str]

    @property
    def moved(self) -> list[ShiftedSession]:
        return [session for session in self.sessions if session.moves]

    @property
    def distance(self) -> int:
        return abs(self.days)

    @property
    def confirmed_moved(self) -> int:
        return sum(1 for session in self.moved if session.milestone.is_confirmed)


def schedule_shift(plan: Plan, *, days: int, now: datetime.datetime | None = None) -> ScheduleShift:
    """The plan's schedule moved by `days`, for the preview and for the service that applies
    it; one query however many milestones the plan has."""
    now = now or timezone.now()
    sessions = []
    for milestone in (
        plan.milestones.filter(starts_at__isnull=False)
        .select_related("plan")
        .order_by("starts_at", "order", "pk")
    ):
        if milestone.starts_at <= now:
            new_starts_at, new_ends_at = milestone.starts_at, milestone.ends_at
        else:
            new_starts_at, new_ends_at = milestone.session_shifted(days)
        sessions.append(
            ShiftedSession(milestone, new_starts_at, new_ends_at, milestone.starts_at <= now)
        )
    delta = datetime.timedelta(days=days)
    started = plan.start_date <= plan.local_today()
    shift = ScheduleShift(
        plan=plan,
        days=days,
        sessions=sessions,
        new_start_date=plan.start_date if started else plan.start_date + delta,
        new_end_date=plan.end_date + delta,
        problems=[],
    )
    shift.problems.extend(_shift_problems(shift, now))
    return shift


def _shift_problems(shift: ScheduleShift, now: datetime.datetime) -> list[str]:
    problems = []
    if not 0 < abs(shift.days) <= MAX_SHIFT_DAYS:
        problems.append(
            _("Move the schedule by 1 to %(max)s days, later or earlier.") % {"max": MAX_SHIFT_DAYS}
        )
    if shift.plan.is_archived:
        problems.append(shift.plan.ARCHIVED_MESSAGE)
    if not shift.moved:
        problems.append(
            _(
                "No session ahead has a date to move. To change the plan's dates alone, edit them "
                "in Plan details."
            )
        )
    zone = zoneinfo.ZoneInfo(shift.plan.time_zone)
    for session in shift.moved:
        if session.new_starts_at <= now:
            local = session.new_starts_at.astimezone(zone)
            problems.append(
                _(
                    "“%(name)s” would start on %(day)s, which has passed: move the schedule by "
                    "fewer days."
                )
                % {
                    "name": session.milestone.name,
                    "day": formats.date_format(local, "LONG_WEEKDAY_FORMAT"),
                }
            )
    if shift.new_end_date < shift.new_start_date:
        problems.append(_("The plan would end before it starts: move it by fewer days."))
    return problems


# Running a programme again: a plan's milestones as a blueprint, with times relative to
# the plan's start

# What a blueprint leaves out of a milestone's own fields: where it belongs and when it is
# held are given anew to each copy, and every copy starts tentative so that nobody is
# invited before its admins confirm each session.
NOT_IN_BLUEPRINT = {"plan", "order", "schedule", "starts_at", "ends_at"}
KIND_LABELS = dict(Milestone.Kind.choices)
BLUEPRINT_FIELDS = [
    field.name
    for field in Milestone._meta.concrete_fields
    if field.editable and not field.primary_key and field.name not in NOT_IN_BLUEPRINT
]


@dataclass(frozen=True)
class SessionTiming:
    """When a session is held relative to its plan: the local day (counted from the plan's
    start date), the local start time, how long by the local clock, and over how many local
    days. Placed on another start date in any zone it keeps its clock times: a 09:00 session
    is at 09:00 there, on either side of a clock change."""

    start_day: int
    start_time: datetime.time
    duration: datetime.timedelta
    days: int = 1

    @classmethod
    def of(cls, milestone: Milestone, plan_start: datetime.date) -> SessionTiming | None:
        if not milestone.is_scheduled:
            return None
        zone = milestone.zone
        start = milestone.starts_at.astimezone(zone)
        end = milestone.ends_at.astimezone(zone)
        return cls(
            start_day=(start.date() - plan_start).days,
            start_time=start.time().replace(tzinfo=None),
            # By the wall clock: 09:00 to 17:00 stays eight hours on the night clocks change.
            duration=end.replace(tzinfo=None) - start.replace(tzinfo=None),
            days=(end.date() - start.date()).days + 1,
        )

    def placed(
        self, plan_start: datetime.date, zone: zoneinfo.ZoneInfo, *, skip_weekends: bool = False
    ) -> PlacedSession:
        day = plan_start + datetime.timedelta(days=self.start_day)
        moved = 0
        if skip_weekends and day.weekday() >= 5:
            moved = 7 - day.weekday()
        local_start = datetime.datetime.combine(
            day + datetime.timedelta(days=moved), self.start_time
        )
        local_end = local_start + self.duration
        return PlacedSession(
            starts_at=local_start.replace(tzinfo=zone),
            ends_at=local_end.replace(tzinfo=zone),
            skipped_days=moved,
        )

    def to_json(self) -> dict:
        return {
            "start_day": self.start_day,
            "start_time": self.start_time.strftime("%H:%M"),
            "duration_minutes": int(self.duration.total_seconds() // 60),
            "days": self.days,
        }

    @classmethod
    def from_json(cls, data: dict) -> SessionTiming:
        return cls(
            start_day=int(data["start_day"]),
            start_time=datetime.time.fromisoformat(data["start_time"]),
            duration=datetime.timedelta(minutes=int(data["duration_minutes"])),
            days=int(data["days"]),
        )


@dataclass(frozen=True)
class PlacedSession:
    """A session's dates in a new plan; `skipped_days` says how far a weekend moved it."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    skipped_days: int = 0


@dataclass(frozen=True)
class ActivityBlueprint:
    """A pre- or post-session activity; `file` is the stored name of the file to copy."""

    phase: str
    title: str
    upload_type: str
    url: str = ""
    file: str = ""

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict) -> ActivityBlueprint:
        return cls(**{name: data.get(name, "") for name in cls.__dataclass_fields__})

    @property
    def filename(self) -> str:
        return PurePath(self.file).name if self.file else ""


@dataclass(frozen=True)
class TrainerBlueprint:
    """A trainer, known within the blueprint by `key`."""

    key: int
    name: str
    email: str = ""
    phone: str = ""
    organisation: str = ""
    bio: str = ""

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict) -> TrainerBlueprint:
        return cls(**{name: data.get(name, "") for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class MilestoneBlueprint:
    """A milestone with all its settings and meeting details but no dates: `key` ties it to
    what other apps keep for it (its surveys) within the blueprint."""

    key: int
    settings: dict
    timing: SessionTiming | None
    trainer_keys: tuple[int, ...] = ()
    activities: tuple[ActivityBlueprint, ...] = ()

    @property
    def name(self) -> str:
        return self.settings.get("name", "")

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "settings": self.settings,
            "timing": self.timing.to_json() if self.timing else None,
            "trainers": list(self.trainer_keys),
            "activities": [activity.to_json() for activity in self.activities],
        }

    @classmethod
    def from_json(cls, data: dict) -> MilestoneBlueprint:
        return cls(
            key=int(data["key"]),
            # A setting Cairn no longer has is left out of an older blueprint, not an error.
            settings={
                name: value for name, value in data["settings"].items() if name in BLUEPRINT_FIELDS
            },
            timing=SessionTiming.from_json(data["timing"]) if data.get("timing") else None,
            trainer_keys=tuple(int(key) for key in data.get("trainers", [])),
            activities=tuple(ActivityBlueprint.from_json(a) for a in data.get("activities", [])),
        )


@dataclass(frozen=True)
class PlanMilestonesBlueprint:
    milestones: list[MilestoneBlueprint]
    trainers: list[TrainerBlueprint]


def plan_milestones_blueprint(plan: Plan, *, with_trainers: bool) -> PlanMilestonesBlueprint:
    """The plan's milestones in order as a blueprint, their activities and (when asked) their
    trainers with them; three queries however many milestones there are."""
    milestones = list(
        plan.milestones.order_by("order", "pk").prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("phase", "order", "pk")),
            *(["trainers"] if with_trainers else []),
        )
    )
    trainers: dict[int, TrainerBlueprint] = {}
    blueprints = []
    for milestone in milestones:
        milestone.plan = plan
        keys = []
        chosen = (
            sorted(milestone.trainers.all(), key=lambda t: (t.name, t.pk)) if with_trainers else []
        )
        for trainer in chosen:
            trainers.setdefault(
                trainer.pk,
                TrainerBlueprint(
                    key=trainer.pk,
                    name=trainer.name,
                    email=trainer.email,
                    phone=trainer.phone,
                    organisation=trainer.organisation,
                    bio=trainer.bio,
                ),
            )
            keys.append(trainer.pk)
        blueprints.append(
            MilestoneBlueprint(
                key=milestone.pk,
                settings={name: getattr(milestone, name) for name in BLUEPRINT_FIELDS},
                timing=SessionTiming.of(milestone, plan.start_date),
                trainer_keys=tuple(keys),
                activities=tuple(
                    ActivityBlueprint(
                        phase=activity.phase,
                        title=activity.title,
                        upload_type=activity.upload_type,
                        url=activity.url,
                        file=activity.file.name if activity.file else "",
                    )
                    for activity in milestone.activities.all()
                ),
            )
        )
    return PlanMilestonesBlueprint(milestones=blueprints, trainers=list(trainers.values()))
