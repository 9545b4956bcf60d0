"""The milestone pages list a milestone's surveys through milestones' `contents_of`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from milestones.selectors import contents_of
from tests.factories import MilestoneFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def surveys_listed(milestones):
    return {
        milestone_id: [(c.label, c.note, c.icon) for c in contents if c.singular == "survey"]
        for milestone_id, contents in contents_of(milestones).items()
    }


ICON = "fa-solid fa-square-poll-vertical"


def test_each_milestone_lists_its_surveys_with_the_active_one_and_the_responses(plan):
    lean, kick_off, wrap_up, quiet = (MilestoneFactory(plan=plan) for _ in range(4))
    active = SurveyFactory(milestone=lean, is_active=True)
    old = SurveyFactory(milestone=lean)
    for _ in range(13):
        ResponseFactory(survey=active)
    ResponseFactory(survey=old)
    SurveyFactory(milestone=kick_off)
    draft = SurveyFactory(milestone=wrap_up)
    ResponseFactory(survey=draft)
    SurveyFactory(milestone=quiet, is_active=True)

    found = surveys_listed([lean, kick_off, wrap_up, quiet])

    assert found[lean.pk] == [("2 surveys", "one active, 14 responses", ICON)]
    assert found[kick_off.pk] == [("1 survey", "", ICON)]
    assert found[wrap_up.pk] == [("1 survey", "1 response", ICON)]
    assert found[quiet.pk] == [("1 survey", "one active", ICON)]


def test_a_milestone_without_surveys_lists_none(milestone):
    assert surveys_listed([milestone]).get(milestone.pk, []) == []


def test_one_query_however_many_milestones(plan):
    def milestones(count):
        made = [MilestoneFactory(plan=plan) for _ in range(count)]
        for milestone in made:
            ResponseFactory(survey=SurveyFactory(milestone=milestone, is_active=True))
        return made

    few, many = milestones(1), milestones(6)
    with CaptureQueriesContext(connection) as for_few:
        contents_of(few)
    with CaptureQueriesContext(connection) as for_many:
        contents_of(many)
    assert len(for_many) == len(for_few)
    surveys_sql = [q["sql"] for q in for_many.captured_queries if "surveys_survey" in q["sql"]]
    assert len(surveys_sql) == 1
