import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from milestones.models import Activity, Milestone, Trainer
from programmes.models import PlanTemplate
from programmes.selectors import Programme
from programmes.services import plan_copy, plan_start, template_delete, template_save
from surveys.models import Option, Question, Response, Survey
from tests.downloads import downloaded
from tests.factories import AnswerFactory, ResponseFactory
from tests.programmes.conftest import LONDON, at

pytestmark = pytest.mark.django_db

SETTINGS = [
    "name",
    "description",
    "kind",
    "post_action_required",
    "multi_day",
    "upload_progress",
    "attendance_marking",
    "session_connect",
    "meeting_link",
    "passcode",
    "location",
]


def started(template, *, start=datetime.date(2027, 1, 4), zone="Europe/London", **options):
    return plan_start(
        programme=Programme.from_json(template.content),
        name="Operations Excellence, autumn",
        start_date=start,
        time_zone=zone,
        **options,
    )


def test_a_plan_saved_as_a_template_and_started_again_keeps_every_setting(source):
    plan, admin = source
    template = template_save(
        plan=plan, name="Operations Excellence", with_trainers=True, created_by=admin
    )
    new = started(template)

    assert new.name == "Operations Excellence, autumn"
    assert new.description == plan.description
    assert (new.start_date, new.end_date) == (datetime.date(2027, 1, 4), datetime.date(2027, 3, 28))
    assert new.memberships.count() == 0
    old = list(plan.milestones.order_by("order"))
    copies = list(new.milestones.order_by("order"))
    assert [m.name for m in copies] == [m.name for m in old]
    for original, copy in zip(old, copies, strict=True):
        assert {f: getattr(copy, f) for f in SETTINGS} == {
            f: getattr(original, f) for f in SETTINGS
        }
        assert copy.schedule == Milestone.Schedule.TENTATIVE
    workshop, review, closing = copies
    assert (workshop.starts_at, workshop.ends_at) == (
        at(datetime.date(2027, 1, 6), 9, 30),
        at(datetime.date(2027, 1, 6), 12),
    )
    assert (review.starts_at, review.ends_at) == (
        at(datetime.date(2027, 1, 25), 10),
        at(datetime.date(2027, 1, 27), 16),
    )
    assert not closing.is_scheduled
    trainer = workshop.trainers.get()
    assert (trainer.name, trainer.phone, trainer.bio, trainer.plan_id) == (
        "Theo Trainer",
        "+44 1",
        "Lean coach.",
        new.pk,
    )
    assert [
        (
            a.phase,
            a.title,
            a.upload_type,
            a.url,
            a.filename[:7],
            a.file.read()[:4] if a.file else b"",
        )
        for a in workshop.activities.order_by("phase")
    ] == [
        ("post", "Video", "link", "https://v.example", "", b""),
        ("pre", "Reading", "file", "", "reading", b"%PDF"),
    ]
    surveys = list(review.surveys.order_by("-is_active"))
    assert [(s.title, s.is_active) for s in surveys] == [
        ("Assessment feedback", True),
        ("Old survey", False),
    ]
    questions = list(surveys[0].questions.order_by("order"))
    assert [(q.text, q.type, q.required, q.scale_max) for q in questions] == [
        ("Useful?", "MCQ", True, 5),
        ("Rate it", "RATING", True, 7),
        ("Overall", "OVERALL_RATING", False, 5),
    ]
    assert [o.text for o in questions[0].options.order_by("order")] == ["Yes", "No"]


def test_nobody_is_invited_or_emailed_when_a_plan_is_started(
    source, django_capture_on_commit_callbacks
):
    from milestones.models import SessionAnnouncement
    from notifications.models import Notification

    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        new = started(template)
    assert Notification.objects.count() == before
    assert not SessionAnnouncement.objects.filter(plan=new).exists()
    assert not new.milestones.filter(announced__isnull=False).exists()


def test_a_template_never_keeps_answers_members_or_uploads(source):
    plan, admin = source
    survey = Survey.objects.get(title="Assessment feedback")
    AnswerFactory(response=ResponseFactory(survey=survey), question=survey.questions.first())
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    assert "Useful?" in str(template.content)
    assert "It was useful" not in str(template.content)
    new = started(template)
    assert Response.objects.filter(survey__milestone__plan=new).count() == 0
    assert new.memberships.count() == 0


def test_trainers_stay_behind_unless_asked_for(source):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    new = started(template)
    assert not Trainer.objects.filter(plan=new).exists()


def test_a_trainer_with_an_account_is_linked_to_it_in_the_new_plan(source):
    from tests.factories import UserFactory

    plan, _ = source
    person = UserFactory(email="theo@example.com")
    Trainer.objects.filter(name="Theo Trainer").update(email="Theo@Example.com")
    new = plan_copy(
        plan=plan, name="Copy", start_date=datetime.date(2027, 1, 4), time_zone="Europe/London"
    )
    assert Trainer.objects.get(plan=new).user == person


def _download(client, activity) -> bytes:
    content, _ = downloaded(
        client,
        reverse("milestones:activity_download", args=[activity.milestone.plan_id, activity.pk]),
    )
    return content


def test_a_copy_keeps_its_file_when_the_source_plan_and_the_template_are_deleted(
    source, staff, client, django_capture_on_commit_callbacks
):
    plan, admin = source
    original = Activity.objects.get(milestone__plan=plan, upload_type="file")
    with django_capture_on_commit_callbacks(execute=True):
        template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    new = started(template)
    copy = Activity.objects.get(milestone__plan=new, upload_type="file")
    kept = Programme.from_json(template.content).file_names
    assert len({original.file.name, copy.file.name, *kept}) == 3

    # The source plan goes with its files, and then the template with its own.
    default_storage.delete(original.file.name)
    plan.delete()
    with django_capture_on_commit_callbacks(execute=True):
        template_delete(template=template)
    assert not default_storage.exists(kept[0])
    assert not PlanTemplate.objects.exists()

    client.force_login(staff)
    assert _download(client, copy).startswith(b"%PDF")


def test_a_plan_started_from_a_template_is_independent_of_another_started_from_it(
    source, staff, client
):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    first, second = started(template), started(template)
    a = Activity.objects.get(milestone__plan=first, upload_type="file")
    b = Activity.objects.get(milestone__plan=second, upload_type="file")
    assert a.file.name != b.file.name
    default_storage.delete(a.file.name)
    first.delete()
    client.force_login(staff)
    assert _download(client, b).startswith(b"%PDF")
    # The template still starts plans with the file.
    third = started(template)
    assert (
        Activity.objects.get(milestone__plan=third, upload_type="file")
        .file.read()
        .startswith(b"%PDF")
    )


def test_a_copy_made_directly_from_a_plan_matches_one_made_through_a_template(source):
    plan, admin = source
    copy = plan_copy(
        plan=plan, name="Copy", start_date=datetime.date(2027, 1, 4), time_zone="Europe/London"
    )
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    via_template = started(template)

    def shape(p):
        return [
            (
                m.name,
                m.starts_at,
                m.ends_at,
                m.activities.count(),
                m.trainers.count(),
                m.surveys.count(),
            )
            for m in p.milestones.order_by("order")
        ]

    assert shape(copy) == shape(via_template)
    assert Question.objects.filter(survey__milestone__plan=copy).count() == 3
    assert Option.objects.filter(question__survey__milestone__plan=copy).count() == 2


def test_a_session_keeps_its_local_time_across_the_end_of_summer_time(source):
    """London leaves summer time on the last Sunday of October: a 09:30 session the week
    before is at 08:30 UTC, the same session a week later at 09:30 UTC, both 09:30 local."""
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    before = started(template, start=datetime.date(2026, 10, 19))  # workshop Wed 21 Oct
    after = started(template, start=datetime.date(2026, 10, 26))  # workshop Wed 28 Oct
    first = before.milestones.get(name="Lean workshop")
    second = after.milestones.get(name="Lean workshop")
    assert first.starts_at.astimezone(LONDON).time() == datetime.time(9, 30)
    assert second.starts_at.astimezone(LONDON).time() == datetime.time(9, 30)
    assert first.starts_at.astimezone(datetime.UTC).hour == 8
    assert second.starts_at.astimezone(datetime.UTC).hour == 9


def test_a_multi_day_session_over_the_clock_change_keeps_its_local_times(source):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    # Assessment days fall on day 21 to 23: Sat 24 to Mon 26 October 2026, over the change.
    new = started(template, start=datetime.date(2026, 10, 3))
    review = new.milestones.get(name="Assessment days")
    assert review.starts_at == at(datetime.date(2026, 10, 24), 10)
    assert review.ends_at == at(datetime.date(2026, 10, 26), 16)
    # 10:00 BST to 16:00 GMT is 55 hours, not the original 54.
    assert review.ends_at - review.starts_at == datetime.timedelta(hours=55)


def test_the_local_time_is_kept_in_another_time_zone(source):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    new = started(template, zone="America/New_York")
    workshop = new.milestones.get(name="Lean workshop")
    local = workshop.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=-5)))
    assert (local.date(), local.time()) == (datetime.date(2027, 1, 6), datetime.time(9, 30))
    assert new.time_zone == "America/New_York"


def test_skipping_weekends_moves_a_session_on_a_saturday_or_sunday_to_the_monday(source):
    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=False, created_by=admin)
    # Workshop (day 2) on Sunday 10 January 2027, assessment (day 21) on Friday 29 January.
    new = started(template, start=datetime.date(2027, 1, 8), skip_weekends=True)
    workshop = new.milestones.get(name="Lean workshop")
    review = new.milestones.get(name="Assessment days")
    assert workshop.starts_at == at(datetime.date(2027, 1, 11), 9, 30)
    assert workshop.ends_at == at(datetime.date(2027, 1, 11), 12)
    assert review.starts_at == at(datetime.date(2027, 1, 29), 10)
    kept = started(template, start=datetime.date(2027, 1, 8))
    assert kept.milestones.get(name="Lean workshop").starts_at == at(
        datetime.date(2027, 1, 10), 9, 30
    )


def test_a_plan_that_cannot_be_created_leaves_nothing_behind(source):
    from django.core.exceptions import ValidationError

    from bip.models import Plan

    plan, admin = source
    template = template_save(plan=plan, name="T", with_trainers=True, created_by=admin)
    content = template.content
    content["milestones"][0]["settings"]["kind"] = "party"
    files_before = _stored_files()
    plans_before = Plan.objects.count()
    with pytest.raises(ValidationError, match="Lean workshop"):
        plan_start(
            programme=Programme.from_json(content),
            name="Broken",
            start_date=datetime.date(2027, 1, 4),
            time_zone="Europe/London",
        )
    assert Plan.objects.count() == plans_before
    assert _stored_files() == files_before


def _stored_files():
    found = []

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}" if folder else sub)

    walk("")
    return sorted(found)
