"""Every form and every query parameter, sent junk by the people allowed to use them: random
and hostile text, huge and negative numbers, far and impossible dates, unknown time zones,
NUL bytes, fields sent twice. Nothing may fail with a server error, a refused form may
change nothing, and whatever is echoed back is escaped."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ActivityFactory,
    McqQuestionFactory,
    ProgressUploadFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
    SurveyFactory,
    TrainerFactory,
    session_on,
)
from tests.pages import all_controls
from tests.rows import row_counts

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
SCRIPT = "<script>alert(1)</script>"

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "9" * 40,
    "9223372036854775808",
    "1e309",
    "NaN",
    "²",
    "٣",
    "9999-12-31",
    "0001-01-01",
    "2027-02-30",
    "9999-12-31T23:59",
    "0000-00-00T00:00",
    "2027-03-01T25:61",
    "Mars/Olympus_Mons",
    "UTC",
    "x" * 5000,
    "true",
    "on",
    "https://example.com/" + "a" * 600,
    "javascript:alert(1)",
    "\r\nSet-Cookie: x=1",
    "😀" * 50,
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60))
# A field sent once, twice, or not at all.
field_value = st.one_of(values, st.lists(values, min_size=2, max_size=3), st.none())


def counts():
    return row_counts()


@pytest.fixture
def world(plan, milestone, project_admin, participant, platform_admin):
    start, end = session_on(-2, zone=plan.time_zone)
    milestone.starts_at, milestone.ends_at, milestone.schedule = start, end, "confirmed"
    milestone.upload_progress, milestone.post_action_required = "optional", True
    milestone.save()
    survey = SurveyFactory(milestone=milestone, is_active=True)
    question = McqQuestionFactory(survey=survey)
    project = ProjectFactory()
    return {
        "plan": plan,
        "milestone": milestone,
        "trainer": TrainerFactory(plan=plan),
        "activity": ActivityFactory(milestone=milestone),
        "survey": survey,
        "question": question,
        "upload": ProgressUploadFactory(milestone=milestone, participant=participant),
        "project": project,
        "project_milestone": ProjectMilestoneFactory(project=project),
        "project admin": project_admin,
        "participant": participant,
        "platform admin": platform_admin,
        "consultant": project.consultant,
        "client": project.client,
    }


def plan_args(w):
    return [w["plan"].pk]


def milestone_args(w):
    return [w["plan"].pk, w["milestone"].pk]


def survey_args(w):
    return [w["plan"].pk, w["milestone"].pk, w["survey"].pk]


# (who, URL name, its arguments, whether a refused form answers 200 with nothing saved)
FORMS = [
    ("platform admin", "bip:create", lambda w: [], True),
    ("project admin", "bip:edit", plan_args, True),
    ("project admin", "bip:members", plan_args, False),
    ("project admin", "milestones:create", plan_args, True),
    ("project admin", "milestones:edit", milestone_args, True),
    ("project admin", "milestones:meeting", milestone_args, True),
    ("project admin", "milestones:trainer_create", plan_args, True),
    ("project admin", "milestones:trainer_edit", lambda w: [w["plan"].pk, w["trainer"].pk], True),
    ("project admin", "milestones:activity_create", lambda w: [*milestone_args(w), "pre"], True),
    (
        "project admin",
        "milestones:activity_edit",
        lambda w: [*milestone_args(w), w["activity"].pk],
        True,
    ),
    ("project admin", "milestones:milestone_trainers", milestone_args, False),
    ("project admin", "milestones:attendance", milestone_args, False),
    ("project admin", "surveys:create", milestone_args, True),
    ("project admin", "surveys:builder", survey_args, False),
    (
        "project admin",
        "surveys:question_edit",
        lambda w: [*survey_args(w), w["question"].pk],
        False,
    ),
    ("participant", "surveys:answer", milestone_args, True),
    ("participant", "accounts:profile", lambda w: [], False),
    ("anonymous", "account_login", lambda w: [], True),
    ("anonymous", "account_reset_password", lambda w: [], True),
    ("participant", "account_change_password", lambda w: [], True),
    ("participant", "account_email", lambda w: [], True),
    ("participant", "notifications:preferences", lambda w: [], False),
    ("platform admin", "collaboration:project_new", lambda w: [], True),
    ("platform admin", "collaboration:project_edit", lambda w: [w["project"].pk], True),
    ("platform admin", "collaboration:payment", lambda w: [w["project"].pk], True),
]

# Forms posted from another page: (who, URL name, its arguments, the fields it takes).
POSTS = [
    ("project admin", "bip:members_bulk", plan_args, ["bulk-text", "bulk-role"]),
    ("participant", "milestones:attendance_self_mark", milestone_args, ["next"]),
    ("participant", "milestones:upload_create", milestone_args, ["note", "next", "file"]),
    ("participant", "milestones:post_action_save", milestone_args, ["text", "next", "file"]),
    (
        "project admin",
        "milestones:upload_request_changes",
        lambda w: [*milestone_args(w), w["upload"].pk],
        ["comment", "next"],
    ),
    ("project admin", "milestones:move", milestone_args, ["direction"]),
    ("project admin", "bip:email_resend", plan_args, ["notification"]),
    ("project admin", "progress:export", plan_args, ["milestone", "status"]),
    ("project admin", "surveys:results_export", survey_args, []),
    ("client", "collaboration:chat", lambda w: [w["project"].pk], ["body", "before"]),
    (
        "consultant",
        "collaboration:milestone_add",
        lambda w: [w["project"].pk],
        ["title", "description", "due_date"],
    ),
    (
        "consultant",
        "collaboration:milestone_edit",
        lambda w: [w["project"].pk, w["project_milestone"].pk],
        ["title", "description", "due_date"],
    ),
    (
        "consultant",
        "collaboration:milestone_completion",
        lambda w: [w["project"].pk, w["project_milestone"].pk],
        ["completed"],
    ),
]

# Pages and the query parameters they read.
PAGES = [
    ("project admin", "progress:dashboard", plan_args, ["milestone", "status", "page", "format"]),
    ("project admin", "bip:members", plan_args, ["q", "page"]),
    ("project admin", "bip:emails", plan_args, ["page"]),
    ("project admin", "milestones:attendance", milestone_args, ["day", "q", "page"]),
    ("project admin", "milestones:uploads_review", milestone_args, ["show", "page", "actions"]),
    ("project admin", "milestones:history", milestone_args, ["page"]),
    ("project admin", "milestones:trainer_create", plan_args, ["milestone"]),
    ("participant", "surveys:answer", milestone_args, ["next"]),
    ("participant", "progress:my_milestone", milestone_args, ["page"]),
    ("client", "collaboration:project", lambda w: [w["project"].pk], ["before"]),
    ("platform admin", "collaboration:projects", lambda w: [], ["page", "state", "q"]),
    ("platform admin", "collaboration:people_search", lambda w: [], ["q", "role", "everyone"]),
    ("participant", "home", lambda w: [], ["page"]),
]

HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def form_fields(page) -> list[str]:
    names = []
    for control in all_controls(page):
        name = control.get("name")
        if name and name != "csrfmiddlewaretoken" and name not in names:
            names.append(name)
    return names


def body(data, names, file_fields=()):
    sent = {}
    for name in names:
        if name in file_fields:
            if data.draw(st.booleans()):
                content = data.draw(st.binary(max_size=200))
                sent[name] = SimpleUploadedFile(upload_name(data.draw(values)), content)
            continue
        value = data.draw(field_value)
        if value is not None:
            sent[name] = value
    return sent


def upload_name(drawn: str) -> str:
    # Any name a browser could send: a path's last part, never empty, "." or "..".
    name = drawn.replace("\\", "/").rsplit("/", 1)[-1][:300]
    return name if name not in ("", ".", "..") else "file.pdf"


def sign_in_as(client, world, who):
    client.logout()
    if who != "anonymous":
        client.force_login(world[who])


def assert_escaped(response):
    assert SCRIPT.encode() not in response.content


@pytest.mark.parametrize(("who", "name", "args", "refusal_saves_nothing"), FORMS)
@HYPOTHESIS
@given(data=st.data())
def test_junk_in_every_form(client, world, who, name, args, refusal_saves_nothing, data):
    sign_in_as(client, world, who)
    url = reverse(name, args=args(world))
    page = client.get(url)
    assert page.status_code == 200, url
    files = {c["name"] for c in all_controls(page) if c.get("type") == "file"}
    before = counts()
    response = client.post(url, body(data, form_fields(page), files))
    # 429: the sign-in and reset forms' rate limits, reached by the many examples.
    assert response.status_code in (200, 302, 400, 404, 413, 429), url
    assert_escaped(response)
    if response.status_code == 200 and refusal_saves_nothing:
        assert counts() == before, url


@pytest.mark.parametrize(("who", "name", "args", "fields"), POSTS)
@HYPOTHESIS
@given(data=st.data())
def test_junk_posted_to_every_action(client, world, who, name, args, fields, data):
    sign_in_as(client, world, who)
    url = reverse(name, args=args(world))
    response = client.post(url, body(data, fields, {"file"}))
    assert response.status_code in (200, 302, 400, 404, 413), url
    assert_escaped(response)


@pytest.mark.parametrize(("who", "name", "args", "params"), PAGES)
@HYPOTHESIS
@given(data=st.data())
def test_junk_in_every_query_parameter(client, world, who, name, args, params, data):
    sign_in_as(client, world, who)
    url = reverse(name, args=args(world))
    response = client.get(url, body(data, params))
    assert response.status_code in (200, 302, 400, 404), url
    assert_escaped(response)
