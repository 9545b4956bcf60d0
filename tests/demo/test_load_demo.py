import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from bip.models import Plan, PlanMembership
from demo.cohorts import PAST_PLAN_NAME
from demo.people import DEMO_PASSWORD, PEOPLE
from demo.roster import NAMES
from milestones.models import Attendance, ProgressUpload
from programmes.models import PlanOrigin, PlanTemplate

pytestmark = pytest.mark.django_db


def load(**options):
    call_command("load_demo", stdout=io.StringIO(), **options)


def test_demo_data_has_one_account_per_role_and_loads_twice_without_duplicates(settings):
    settings.DEBUG = True
    load()
    load()

    assert User.objects.count() == len(PEOPLE) + len(NAMES)
    assert Plan.objects.count() == 2
    assert PlanMembership.objects.count() == 3 + len(NAMES) + 4
    assert PlanOrigin.objects.count() == 1
    assert PlanTemplate.objects.count() == 1
    admin = User.objects.get(email="admin@cairn.example")
    assert admin.is_staff and admin.check_password(DEMO_PASSWORD)
    roles = dict(
        PlanMembership.objects.filter(
            plan__archived_at__isnull=True, user__email__endswith="@cairn.example"
        ).values_list("user__email", "role")
    )
    assert roles == {
        "pam@cairn.example": "project_admin",
        "priya@cairn.example": "participant",
        "paul@cairn.example": "participant",
    }


def test_the_demo_cohort_is_a_real_plans_size_and_tells_one_consistent_story(settings):
    settings.DEBUG = True
    load()
    plan = Plan.objects.get(archived_at__isnull=True)
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
    milestones = list(Milestone.objects.filter(plan__archived_at__isnull=True))
    assert len(milestones) == 6
    scheduled = [m for m in milestones if m.is_scheduled]
    assert any(m.is_past and m.is_confirmed for m in scheduled)
    assert any(not m.is_past and m.is_confirmed for m in scheduled)
    assert any(not m.is_confirmed for m in scheduled)
    assert any(not m.is_scheduled for m in milestones)
    assert any(m.multi_day for m in milestones)
    assert {m.kind for m in milestones} == {"training", "assessment", "meeting"}
    workshop = Milestone.objects.get(
        name="Lean Foundations Workshop", plan__archived_at__isnull=True
    )
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

    assert (
        programme.survey_count
        == Survey.objects.filter(milestone__plan=template.source_plan).count()
    )
    assert programme.file_names


def test_an_earlier_cohort_ran_the_demo_programme_and_is_compared_with_it(settings, client):
    from django.urls import reverse

    settings.DEBUG = True
    load()
    load()
    past = Plan.objects.get(name=PAST_PLAN_NAME)
    template = PlanTemplate.objects.get()
    assert past.is_archived and past.origin.template == template
    assert past.milestones.count() == template.milestone_count

    client.force_login(User.objects.get(email="pam@cairn.example"))
    response = client.get(reverse("programmes:cohorts", args=[template.pk]))
    comparison = response.context["comparison"]
    earlier, current = comparison.cohorts
    assert (earlier.plan, current.plan) == (past, template.source_plan)
    assert (earlier.participant_count, current.participant_count) == (3, 25)
    assert 50 < earlier.attendance.percent < 100 and current.attendance.percent
    assert all(row.completion[0].total for row in comparison.milestones)
    assert comparison.milestones[0].completion[0].percent > 0
    feedback = next(row for row in comparison.surveys if row.title == "Training Feedback")
    assert [cell.score.response_count for cell in feedback.cells] == [2, 1]
    assert all(cell.score.rating_average for cell in feedback.cells)
