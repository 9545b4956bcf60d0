import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from bip.models import Plan, PlanMembership
from demo.cohort import NAMES
from demo.people import DEMO_PASSWORD, PEOPLE
from milestones.models import Attendance, ProgressUpload

pytestmark = pytest.mark.django_db


def load(**options):
    call_command("load_demo", stdout=io.StringIO(), **options)


def test_demo_data_has_one_account_per_role_and_loads_twice_without_duplicates(settings):
    settings.DEBUG = True
    load()
    load()

    assert User.objects.count() == len(PEOPLE) + len(NAMES)
    assert Plan.objects.count() == 1
    assert PlanMembership.objects.count() == 3 + len(NAMES)
    admin = User.objects.get(email="admin@cairn.example")
    assert admin.is_staff and admin.check_password(DEMO_PASSWORD)
    roles = dict(
        PlanMembership.objects.filter(user__email__endswith="@cairn.example").values_list(
            "user__email", "role"
        )
    )
    assert roles == {
        "pam@cairn.example": "project_admin",
        "priya@cairn.example": "participant",
        "paul@cairn.example": "participant",
    }


def test_the_demo_cohort_is_a_real_plans_size_and_tells_one_consistent_story(settings):
    settings.DEBUG = True
    load()
    plan = Plan.objects.get()
    assert plan.memberships.filter(role="participant").count() == 25
    uploads = ProgressUpload.objects.filter(milestone__plan=plan)
    assert {upload.status for upload in uploads} == {
        "accepted",
        "submitted",
        "changes_requested",
    }
    # No review is dated before the upload it reviews, nor before the session it follows.
    for upload in uploads:
        assert upload.created_at >= upload.milestone.ends_at
        assert upload.reviewed_at is None or upload.reviewed_at > upload.created_at
    statuses = set(Attendance.objects.filter(milestone__plan=plan).values_list("status", flat=True))
    assert statuses == {"present", "absent"}


def test_a_second_load_keeps_what_people_changed(settings):
    settings.DEBUG = True
    load()
    User.objects.filter(email="priya@cairn.example").update(display_name="Priya N.")
    load()
    assert User.objects.get(email="priya@cairn.example").display_name == "Priya N."


def test_demo_accounts_are_refused_with_debug_off_unless_asked(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        load()
    assert User.objects.count() == 0
    load(allow_production=True)
    assert User.objects.count() == len(PEOPLE) + len(NAMES)


def test_the_demo_plan_has_milestones_in_every_state(settings):
    from milestones.models import Milestone

    settings.DEBUG = True
    load()
    load()
    milestones = list(Milestone.objects.all())
    assert len(milestones) == 6
    scheduled = [m for m in milestones if m.is_scheduled]
    assert any(m.is_past and m.is_confirmed for m in scheduled)
    assert any(not m.is_past and m.is_confirmed for m in scheduled)
    assert any(not m.is_confirmed for m in scheduled)
    assert any(not m.is_scheduled for m in milestones)
    assert any(m.multi_day for m in milestones)
    assert {m.kind for m in milestones} == {"training", "assessment", "meeting"}
    workshop = Milestone.objects.get(name="Lean Foundations Workshop")
    survey = workshop.surveys.get(is_active=True)
    assert {q.type for q in survey.questions.all()} == {
        "MCQ",
        "TEXT_BASED_RESPONSE",
        "RATING",
        "OVERALL_RATING",
        "OVERALL_TEXT_BASED_RESPONSE",
    }
    assert survey.responses.count() == 1


def test_the_demo_plan_is_saved_once_as_a_template_to_run_again(settings):
    from programmes.models import PlanTemplate
    from programmes.selectors import Programme

    settings.DEBUG = True
    load()
    load()
    template = PlanTemplate.objects.get()
    assert template.created_by.email == "pam@cairn.example"
    assert template.milestone_count == 6
    programme = Programme.from_json(template.content)
    from surveys.models import Survey

    assert programme.survey_count == Survey.objects.count()
    assert programme.file_names
