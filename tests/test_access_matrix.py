"""Who may open which URL: every URL pattern of the URLconf, for every kind of person.

The table below names, for each URL, the objects its address is built from and who may use
it; everyone else signed in gets 404 (never a hint that the object exists), and anonymous
visitors are sent to sign in. A URL added without an entry here fails
test_every_url_has_an_entry, so nothing new escapes the matrix. People who may use a URL
are only sent GETs (a POST would change the data); everyone else is sent both, and
afterwards nothing has changed.
"""

import datetime
from collections import defaultdict

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from milestones.models import (
    CalendarFeed,
)
from notifications.links import unsubscribe_token
from notifications.models import Notification
from programmes.services import template_save
from tests.factories import (
    ActivityFactory,
    DeliverableFactory,
    JobFactory,
    McqQuestionFactory,
    MilestoneFactory,
    NotificationFactory,
    PlanFactory,
    PlanMembershipFactory,
    PostActionFactory,
    ProgressUploadFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
    SurveyFactory,
    TrainerFactory,
    UserFactory,
    pdf_file,
    session_on,
)
from tests.rows import row_counts

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "assigned trainer",
    "unassigned trainer",
    "project admin",
    "other plan's participant",
    "other plan's trainer",
    "other plan's admin",
    "consultant",
    "client",
    "other consultant",
    "other client",
    "platform admin",
]
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
PLATFORM = frozenset({"platform admin"})
MANAGERS = frozenset({"project admin", "platform admin"})
IN_CHARGE = MANAGERS | {"assigned trainer"}
PARTICIPANT = frozenset({"participant"})
PLAN_PEOPLE = MANAGERS | {"participant"}
PROJECT = frozenset({"consultant", "client", "platform admin"})
PROJECT_MANAGERS = frozenset({"consultant", "platform admin"})
CLIENT = frozenset({"client"})
# The list of plans is for those who look after one.
PLANS_LIST = frozenset({"project admin", "other plan's admin", "platform admin"})
NOBODY = frozenset()


@pytest.fixture
def world():
    """Two plans and two projects with one person of each kind; the first plan and project
    are the ones every URL is built for."""
    plan = PlanFactory(name="Northwind", time_zone="Europe/London")
    start, end = session_on(-1, zone="Europe/London")
    milestone = MilestoneFactory(
        plan=plan,
        starts_at=start,
        ends_at=end,
        schedule="confirmed",
        upload_progress="optional",
        post_action_required=True,
        attendance_marking="self",
    )
    people = {
        "participant": PlanMembershipFactory(plan=plan).user,
        "project admin": PlanMembershipFactory(plan=plan, role="project_admin").user,
        "platform admin": UserFactory(is_staff=True, is_superuser=True),
    }
    assigned = TrainerFactory(plan=plan, user=UserFactory())
    milestone.trainers.add(assigned)
    people["assigned trainer"] = assigned.user
    unassigned = TrainerFactory(plan=plan, user=UserFactory())
    MilestoneFactory(plan=plan).trainers.add(unassigned)
    people["unassigned trainer"] = unassigned.user

    other_plan = PlanFactory(name="Elsewhere")
    other_milestone = MilestoneFactory(plan=other_plan)
    people["other plan's participant"] = PlanMembershipFactory(plan=other_plan).user
    people["other plan's admin"] = PlanMembershipFactory(plan=other_plan, role="project_admin").user
    other_trainer = TrainerFactory(plan=other_plan, user=UserFactory())
    other_milestone.trainers.add(other_trainer)
    people["other plan's trainer"] = other_trainer.user

    project = ProjectFactory(acceptance_required=True)
    people["consultant"], people["client"] = project.consultant, project.client
    other_project = ProjectFactory()
    people["other consultant"] = other_project.consultant
    people["other client"] = other_project.client

    survey = SurveyFactory(milestone=milestone, is_active=True)
    ProjectMilestoneFactory(project=other_project)
    participant = people["participant"]
    objects = {
        "plan": plan,
        "milestone": milestone,
        "trainer": assigned,
        "membership": plan.memberships.get(user=participant),
        "activity": ActivityFactory(
            milestone=milestone, upload_type="file", url="", file=pdf_file("reading.pdf")
        ),
        "survey": survey,
        "question": McqQuestionFactory(survey=survey),
        "upload": ProgressUploadFactory(milestone=milestone, participant=participant),
        "post action": PostActionFactory(
            milestone=milestone, participant=participant, file=pdf_file("action.pdf")
        ),
        "project": project,
        "other plan": other_plan,
        "other project": other_project,
        "project milestone": ProjectMilestoneFactory(
            project=project, completed_at=timezone.now(), completed_by=project.consultant
        ),
        "deliverable": None,
        "feed": CalendarFeed.objects.create(user=participant, token="f" * 40),
        "email": NotificationFactory(recipient=participant, scope=f"plan:{plan.pk}"),
    }
    objects["deliverable"] = DeliverableFactory(milestone=objects["project milestone"])
    # An export the plan's admin started: theirs, the plan's other managers' and staff's.
    objects["job"] = JobFactory(
        kind="progress_csv",
        started_by=people["project admin"],
        scope=f"plan:{plan.pk}",
        state="done",
        file=ContentFile("\ufeffParticipant\r\n", name="northwind-progress.csv"),
        file_name="northwind-progress.csv",
    )
    objects["template"] = template_save(
        plan=plan,
        name="Northwind programme",
        with_trainers=True,
        created_by=people["project admin"],
    )
    return people, objects


def plan(o):
    return {"plan_pk": o["plan"].pk}


def milestone(o):
    return {"plan_pk": o["plan"].pk, "pk": o["milestone"].pk}


def survey_of(o, **more):
    return {
        "plan_pk": o["plan"].pk,
        "milestone_pk": o["milestone"].pk,
        "survey_pk": o["survey"].pk,
        **more,
    }


def project(o):
    return {"pk": o["project"].pk}


def project_milestone(o):
    return {"pk": o["project"].pk, "milestone_pk": o["project milestone"].pk}


def deliverable(o):
    return {**project_milestone(o), "deliverable_pk": o["deliverable"].pk}


def deliverable_file(o):
    return {"project_pk": o["project"].pk, "pk": o["deliverable"].pk}


def template_milestone(o):
    # A template's milestones are known by the keys of the plan's it was saved from.
    return {"pk": o["template"].pk, "key": o["milestone"].pk}


def none(o):
    return {}


def job(o):
    return {"pk": o["job"].pk}


# URL name -> (its address's arguments, who may use it).
ACCESS = {
    "home": (none, SIGNED_IN),
    "health": (none, EVERYONE),
    "?": (none, EVERYONE),  # the favicon
    "accounts:profile": (none, SIGNED_IN),
    # Plans and their members.
    "bip:list": (none, PLANS_LIST),
    "bip:create": (none, PLATFORM),
    "bip:edit": (plan, MANAGERS),
    "bip:archive": (plan, MANAGERS),
    "bip:restore": (plan, MANAGERS),
    "bip:members": (plan, MANAGERS),
    "bip:members_bulk": (plan, MANAGERS),
    "bip:member_remove": (lambda o: {**plan(o), "pk": o["membership"].pk}, MANAGERS),
    "bip:emails": (plan, MANAGERS),
    "bip:email_resend": (plan, MANAGERS),
    # Plan templates: saved by a plan's managers, seen by whoever saved them (and platform
    # admins); new plans, from a template or a copy, are created by platform admins.
    "programmes:list": (none, PLANS_LIST),
    "programmes:start": (none, PLATFORM),
    "programmes:edit": (lambda o: {"pk": o["template"].pk}, MANAGERS),
    "programmes:delete": (lambda o: {"pk": o["template"].pk}, MANAGERS),
    "programmes:cohorts": (lambda o: {"pk": o["template"].pk}, MANAGERS),
    "programmes:milestone_edit": (template_milestone, MANAGERS),
    "programmes:milestone_move": (template_milestone, MANAGERS),
    "programmes:milestone_remove": (template_milestone, MANAGERS),
    "programmes:save": (plan, MANAGERS),
    "programmes:copy": (plan, PLATFORM),
    # Milestones and what hangs off them.
    "milestones:plan": (plan, MANAGERS),
    "milestones:create": (plan, MANAGERS),
    "milestones:shift": (plan, MANAGERS),
    "milestones:detail": (milestone, MANAGERS),
    "milestones:edit": (milestone, MANAGERS),
    "milestones:meeting": (milestone, MANAGERS),
    "milestones:move": (milestone, MANAGERS),
    "milestones:delete": (milestone, MANAGERS),
    "milestones:history": (milestone, MANAGERS),
    "milestones:milestone_trainers": (milestone, MANAGERS),
    "milestones:milestone_trainer_remove": (
        lambda o: {**milestone(o), "trainer_pk": o["trainer"].pk},
        MANAGERS,
    ),
    "milestones:activities": (lambda o: {**milestone(o), "phase": "pre"}, MANAGERS),
    "milestones:activity_create": (lambda o: {**milestone(o), "phase": "pre"}, MANAGERS),
    "milestones:activity_edit": (
        lambda o: {**milestone(o), "activity_pk": o["activity"].pk},
        MANAGERS,
    ),
    "milestones:activity_move": (
        lambda o: {**milestone(o), "activity_pk": o["activity"].pk},
        MANAGERS,
    ),
    "milestones:activity_delete": (
        lambda o: {**milestone(o), "activity_pk": o["activity"].pk},
        MANAGERS,
    ),
    # Opening is recorded for participants; the file itself is for the plan's members.
    "milestones:activity_open": (lambda o: {**plan(o), "pk": o["activity"].pk}, PARTICIPANT),
    "milestones:activity_download": (
        lambda o: {**plan(o), "pk": o["activity"].pk},
        PLAN_PEOPLE,
    ),
    "milestones:trainers": (plan, MANAGERS),
    "milestones:trainer_create": (plan, MANAGERS),
    "milestones:trainer_edit": (lambda o: {**plan(o), "pk": o["trainer"].pk}, MANAGERS),
    "milestones:trainer_delete": (lambda o: {**plan(o), "pk": o["trainer"].pk}, MANAGERS),
    "milestones:add_to_calendar": (milestone, PLAN_PEOPLE | {"assigned trainer"}),
    "milestones:attendance": (milestone, IN_CHARGE),
    "milestones:attendance_self_mark": (milestone, PARTICIPANT),
    "milestones:uploads_review": (milestone, IN_CHARGE),
    "milestones:upload_create": (milestone, PARTICIPANT),
    "milestones:upload_delete": (
        lambda o: {**milestone(o), "upload_pk": o["upload"].pk},
        PARTICIPANT,
    ),
    "milestones:upload_accept": (
        lambda o: {**milestone(o), "upload_pk": o["upload"].pk},
        IN_CHARGE,
    ),
    "milestones:upload_request_changes": (
        lambda o: {**milestone(o), "upload_pk": o["upload"].pk},
        IN_CHARGE,
    ),
    "milestones:post_action_save": (milestone, PARTICIPANT),
    "milestones:post_action_validate": (
        lambda o: {**milestone(o), "post_action_pk": o["post action"].pk},
        IN_CHARGE,
    ),
    "milestones:upload_download": (
        lambda o: {**plan(o), "pk": o["upload"].pk},
        IN_CHARGE | PARTICIPANT,
    ),
    "milestones:post_action_download": (
        lambda o: {**plan(o), "pk": o["post action"].pk},
        IN_CHARGE | PARTICIPANT,
    ),
    # Surveys.
    "surveys:plan": (plan, MANAGERS),
    "surveys:milestone": (lambda o: {**plan(o), "milestone_pk": o["milestone"].pk}, MANAGERS),
    "surveys:create": (lambda o: {**plan(o), "milestone_pk": o["milestone"].pk}, MANAGERS),
    "surveys:builder": (survey_of, MANAGERS),
    "surveys:activate": (survey_of, MANAGERS),
    "surveys:deactivate": (survey_of, MANAGERS),
    "surveys:duplicate": (survey_of, MANAGERS),
    "surveys:delete": (survey_of, MANAGERS),
    "surveys:question_add": (survey_of, MANAGERS),
    "surveys:question_edit": (lambda o: survey_of(o, pk=o["question"].pk), MANAGERS),
    "surveys:question_delete": (lambda o: survey_of(o, pk=o["question"].pk), MANAGERS),
    "surveys:question_up": (lambda o: survey_of(o, pk=o["question"].pk), MANAGERS),
    "surveys:question_down": (lambda o: survey_of(o, pk=o["question"].pk), MANAGERS),
    "surveys:answer": (
        lambda o: {**plan(o), "milestone_pk": o["milestone"].pk},
        PARTICIPANT,
    ),
    "surveys:results": (
        lambda o: {**plan(o), "milestone_pk": o["milestone"].pk, "pk": o["survey"].pk},
        MANAGERS,
    ),
    "surveys:results_csv": (
        lambda o: {**plan(o), "milestone_pk": o["milestone"].pk, "pk": o["survey"].pk},
        MANAGERS,
    ),
    "surveys:results_export": (
        lambda o: {**plan(o), "milestone_pk": o["milestone"].pk, "pk": o["survey"].pk},
        MANAGERS,
    ),
    # Progress.
    "progress:dashboard": (plan, MANAGERS),
    "progress:export": (plan, MANAGERS),
    "progress:my_plan": (plan, PARTICIPANT),
    "progress:my_milestone": (milestone, PARTICIPANT),
    # Client collaboration.
    "collaboration:projects": (none, SIGNED_IN),
    "collaboration:project_new": (none, PLATFORM),
    "collaboration:people_search": (none, PLATFORM),
    "collaboration:project": (project, PROJECT),
    "collaboration:project_edit": (project, PLATFORM),
    "collaboration:payment": (project, PLATFORM),
    "collaboration:milestones_open": (project, PLATFORM),
    "collaboration:chat": (project, PROJECT),
    "collaboration:project_updates": (project, PROJECT),
    "collaboration:milestone_add": (project, PROJECT_MANAGERS),
    "collaboration:milestone_edit": (project_milestone, PROJECT_MANAGERS),
    "collaboration:milestone_delete": (project_milestone, PROJECT_MANAGERS),
    "collaboration:milestone_completion": (project_milestone, PROJECT_MANAGERS),
    "collaboration:milestone_undo": (project_milestone, PROJECT_MANAGERS),
    "collaboration:milestone_payment": (project_milestone, PLATFORM),
    "collaboration:milestone_accept": (project_milestone, CLIENT),
    "collaboration:milestone_changes": (project_milestone, CLIENT),
    "collaboration:deliverable_add": (project_milestone, PROJECT_MANAGERS),
    "collaboration:deliverable_remove": (deliverable, PROJECT_MANAGERS),
    "collaboration:deliverable_download": (deliverable_file, PROJECT),
    # Imports and exports run in the background: each person's own list; a job and its file
    # for whoever started it, the managers of its plan and staff.
    "jobs:list": (none, SIGNED_IN),
    "jobs:detail": (job, MANAGERS),
    "jobs:download": (job, MANAGERS),
    # Email preferences and calendars.
    "notifications:preferences": (none, SIGNED_IN),
    "notifications:unsubscribe": (
        lambda o: {"token": unsubscribe_token(kind="session_reminder", user_id=o["feed"].user_id)},
        EVERYONE,
    ),
    "calendar:feed": (lambda o: {"token": o["feed"].token}, EVERYONE),
    "calendar:feed_create": (none, SIGNED_IN),
    "calendar:feed_regenerate": (none, SIGNED_IN),
    "calendar:feed_revoke": (none, SIGNED_IN),
}

# allauth's pages: sign-in and recovery for anyone, the account's own settings for the
# person signed in. Each person only ever reaches their own account through them.
ACCOUNT_PAGES = {
    "account_login": (none, EVERYONE),
    "account_logout": (none, EVERYONE),
    "account_inactive": (none, EVERYONE),
    "account_signup": (none, EVERYONE),
    "account_reauthenticate": (none, SIGNED_IN),
    "account_email": (none, SIGNED_IN),
    "account_email_verification_sent": (none, EVERYONE),
    "account_change_password": (none, SIGNED_IN),
    "account_set_password": (none, SIGNED_IN),
    "account_reset_password": (none, EVERYONE),
    "account_confirm_login_code": (none, EVERYONE),
    "account_confirm_email": (lambda o: {"key": "not-a-key"}, EVERYONE),
    "account_reset_password_from_key_done": (none, EVERYONE),
    "account_reset_password_from_key": (lambda o: {"uidb36": "1", "key": "x-y"}, EVERYONE),
    "account_reset_password_done": (none, EVERYONE),
    "mfa_index": (none, SIGNED_IN),
    "mfa_authenticate": (none, EVERYONE),
    "mfa_reauthenticate": (none, SIGNED_IN),
    "mfa_activate_totp": (none, SIGNED_IN),
    "mfa_deactivate_totp": (none, SIGNED_IN),
    "mfa_view_recovery_codes": (none, SIGNED_IN),
    "mfa_generate_recovery_codes": (none, SIGNED_IN),
    "mfa_download_recovery_codes": (none, SIGNED_IN),
    "mfa_list_webauthn": (none, SIGNED_IN),
    "mfa_add_webauthn": (none, SIGNED_IN),
    "mfa_reauthenticate_webauthn": (none, SIGNED_IN),
    # A passkey nobody here owns.
    "mfa_remove_webauthn": (lambda o: {"pk": 999_999}, NOBODY),
    "mfa_edit_webauthn": (lambda o: {"pk": 999_999}, NOBODY),
    "mfa_login_webauthn": (none, EVERYONE),
    "socialaccount_login_cancelled": (none, EVERYONE),
    "socialaccount_login_error": (none, EVERYONE),
    "socialaccount_signup": (none, EVERYONE),
    "socialaccount_connections": (none, SIGNED_IN),
    "saml_acs": (lambda o: {"organization_slug": "acme"}, EVERYONE),
    "saml_finish_acs": (lambda o: {"organization_slug": "acme"}, EVERYONE),
    "saml_sls": (lambda o: {"organization_slug": "acme"}, EVERYONE),
    "saml_metadata": (lambda o: {"organization_slug": "acme"}, EVERYONE),
    "saml_login": (lambda o: {"organization_slug": "acme"}, EVERYONE),
    "openid_connect_login": (lambda o: {"provider_id": "acme"}, EVERYONE),
    "openid_connect_callback": (lambda o: {"provider_id": "acme"}, EVERYONE),
}
TABLE = {**ACCESS, **ACCOUNT_PAGES}


def url_names(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or '?'}"


def test_every_url_has_an_entry():
    names = {name for name in url_names() if not name.startswith("admin:")}
    assert sorted(names - set(TABLE)) == [], "URLs with no entry in the access matrix"
    assert sorted(set(TABLE) - names) == [], "entries for URLs that no longer exist"


def state():
    return row_counts(), Notification.objects.count()


def address(name, objects):
    build, _ = TABLE[name]
    if name == "?":
        return "/favicon.ico"
    return reverse(name, kwargs=build(objects))


def signed_in_as(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])


def refused(response, role) -> bool:
    if role == "anonymous":
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 404


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_cairns_urls_answer_only_those_allowed(client, world, name):
    people, objects = world
    allowed = ACCESS[name][1]
    # Late in the session's day, so that marking attendance and answering are open.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        url = address(name, objects)
        for role in ROLES:
            signed_in_as(client, people, role)
            response = client.get(url)
            assert response.status_code < 500, (name, role)
            if role in allowed:
                assert not refused(response, role), (name, role, response.status_code)
                assert response.status_code != 403, (name, role)
        before = state()
        for role in sorted(set(ROLES) - allowed):
            signed_in_as(client, people, role)
            get = client.get(url)
            post = client.post(url, {"direction": "up", "name": "x", "body": "x"})
            # A URL for one method answers the other with 405 for everyone alike.
            assert refused(get, role) or get.status_code == 405, (name, role, "GET")
            assert refused(post, role) or post.status_code == 405, (name, role, "POST")
        assert state() == before, name


def crossed(name, objects):
    """The URL with its plan or project swapped for one the object behind its other ids does
    not belong to, and the people of that other plan or project (and staff, who see all)."""
    kwargs = TABLE[name][0](objects)
    if "plan_pk" in kwargs and len(kwargs) > 1:
        kwargs["plan_pk"] = objects["other plan"].pk
        roles = ["other plan's admin", "other plan's trainer", "other plan's participant"]
    elif name.startswith("collaboration:") and "milestone_pk" in kwargs:
        kwargs["pk"] = objects["other project"].pk
        roles = ["other consultant", "other client"]
    else:
        return None, []
    return reverse(name, kwargs=kwargs), [*roles, "platform admin"]


class _Stub:
    pk = user_id = 1
    token = "t"


# The URLs whose address names an object inside a plan or project.
CROSSED = sorted(
    name
    for name, (build, _) in ACCESS.items()
    if (keys := set(build(defaultdict(_Stub))))
    and (("plan_pk" in keys and len(keys) > 1) or {"pk", "milestone_pk"} <= keys)
)


@pytest.mark.parametrize("name", CROSSED)
def test_an_id_from_elsewhere_is_not_found_through_ones_own_plan_or_project(client, world, name):
    people, objects = world
    url, roles = crossed(name, objects)
    before = state()
    for role in roles:
        signed_in_as(client, people, role)
        for response in (client.get(url), client.post(url, {"direction": "up", "name": "x"})):
            assert response.status_code in (404, 405), (name, role, response.status_code)
    assert state() == before, name


@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_account_pages_answer_everyone_without_an_error(client, world, name):
    people, objects = world
    url = address(name, objects)
    allowed = ACCOUNT_PAGES[name][1]
    for role in ROLES:
        signed_in_as(client, people, role)
        response = client.get(url)
        assert response.status_code < 500, (name, role)
        if role not in allowed:
            assert response.status_code in (302, 404), (name, role, response.status_code)


def test_the_admin_site_is_for_platform_admins_only(client, world):
    people, _ = world
    for role in ROLES:
        signed_in_as(client, people, role)
        response = client.get(reverse("admin:index"), follow=True)
        if role == "platform admin":
            assert response.status_code == 200
        elif role == "anonymous":
            assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
        else:
            assert response.status_code == 403, role
