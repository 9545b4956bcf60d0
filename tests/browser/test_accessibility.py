"""Every page each role can reach passes axe-core's WCAG 2.1 A and AA rules, on a desktop and
on a phone. The test signs in as the role, starts from the home page and follows the links it
finds (same origin, GET only), so a page added later is checked as soon as something links
to it."""

import datetime
import re
import shutil
import subprocess
from collections import Counter, deque
from html import escape
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from bip.models import PlanMembership
from collaboration.models import ChatMessage
from milestones.models import Activity, Attendance, Milestone, ProgressUpload
from surveys.models import Question
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    AnswerFactory,
    AttendanceFactory,
    ChatMessageFactory,
    DeliverableFactory,
    JobFactory,
    McqQuestionFactory,
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    PostActionFactory,
    ProgressUploadFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    TrainerFactory,
    UserFactory,
    pdf_file,
    session_on,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe"
AXE_SCRIPT = AXE / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

# Links that end the session, hand over a file or a link (an activity's "open") or answer
# with something other than a page.
NOT_PAGES = re.compile(r"logout|download|\.ics\b|csv|feed|/open/$", re.IGNORECASE)
MAX_PAGES = 300
# Pages of one kind look alike, so a couple of each keep the run to minutes however much the
# seeded data links to; the pages that change most with the state of what they show get one
# visit per seeded milestone or project.
PER_VIEW = 2
PER_STATEFUL_VIEW = 5
STATEFUL_VIEWS = {
    "milestones:detail",
    "milestones:attendance",
    "milestones:uploads_review",
    "progress:my_milestone",
    "collaboration:project",
    "collaboration:projects",
}

# Markup the admin site's own scripts write, which Cairn does not serve: the search icon
# Django's two-list picker puts in each label carries an aria-label on a plain span.
THIRD_PARTY = [".selector .help-tooltip.search-label-icon"]

# Only what matters to a person goes into the report: the rule, how bad, and where.
RUN_AXE = """async ({tags, exclude}) => {
  const results = await axe.run(
    {include: [document], exclude: exclude},
    {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
  );
  const colours = (node) => {
    const data = (node.any[0] || {}).data || {};
    return data.contrastRatio ? `${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}:1` : "";
  };
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), detail: colours(n)})),
  }));
}"""


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_SCRIPT.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=AXE, check=True, timeout=300)
    return AXE_SCRIPT.read_text()


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page as it is now."""
    exclude = THIRD_PARTY if urlsplit(page.url).path.startswith("/admin/") else []
    found = page.evaluate(RUN_AXE, {"tags": WCAG_21_AA, "exclude": exclude})
    return [violation for violation in found if violation["impact"] in BLOCKING]


def world() -> dict[str, str]:
    """A plan with milestones in every state and a client project in mid-flight; answers
    the email of a person in each role."""
    admin = UserFactory(is_staff=True, is_superuser=True, display_name="Pat Platform")
    plan = PlanFactory(name="Northwind improvement plan", description="A year of lean work.")
    project_admin = PlanMembershipFactory(
        plan=plan, role=PlanMembership.Role.PROJECT_ADMIN, user__display_name="Ada Admin"
    ).user
    participant = PlanMembershipFactory(plan=plan, user__display_name="Paul Participant").user
    peer = PlanMembershipFactory(plan=plan, user__display_name="Petra Peer").user
    trainer_user = UserFactory(display_name="Theo Trainer")
    trainer = TrainerFactory(plan=plan, name="Theo Trainer", user=trainer_user, bio="Lean coach.")
    TrainerFactory(plan=plan, name="Maria Santos")

    def milestone(name, days=None, **fields):
        if days is not None:
            fields["starts_at"], fields["ends_at"] = session_on(days)
            fields.setdefault("schedule", Milestone.Schedule.CONFIRMED)
        found = MilestoneFactory(plan=plan, name=name, **fields)
        found.trainers.add(trainer)
        return found

    # Complete for the participant: attended, upload accepted, action validated, answered.
    done = milestone(
        "Initial assessment",
        -20,
        kind=Milestone.Kind.ASSESSMENT,
        upload_progress=Milestone.UploadProgress.MANDATORY,
        post_action_required=True,
    )
    # Two, so that its list of activities (the first the crawl finds) has drag handles.
    ActivityFactory(milestone=done, title="How the assessment works")
    ActivityFactory(milestone=done, title="Bring a recent process map")
    AttendanceFactory(milestone=done, participant=participant, marked_by=project_admin)
    AttendanceFactory(
        milestone=done, participant=peer, status=Attendance.Status.ABSENT, marked_by=project_admin
    )
    ProgressUploadFactory(
        milestone=done,
        participant=participant,
        status=ProgressUpload.Status.ACCEPTED,
        reviewed_by=project_admin,
        reviewed_at=timezone.now(),
    )
    ProgressUploadFactory(
        milestone=done,
        participant=peer,
        status=ProgressUpload.Status.CHANGES_REQUESTED,
        review_comment="Add the second page.",
        reviewed_by=project_admin,
        reviewed_at=timezone.now(),
    )
    PostActionFactory(
        milestone=done,
        participant=participant,
        validated_by=project_admin,
        validated_at=timezone.now(),
    )

    # Ended, with the participant's upload awaiting review and a survey still to answer.
    waiting = milestone(
        "Lean foundations workshop",
        -3,
        upload_progress=Milestone.UploadProgress.OPTIONAL,
        attendance_marking=Milestone.AttendanceMarking.SELF,
        post_action_required=True,
        location="Training room 2, 14 Harbour Road",
        meeting_link="",
    )
    AttendanceFactory(milestone=waiting, participant=participant, self_marked=True)
    ProgressUploadFactory(milestone=waiting, participant=participant)
    PostActionFactory(milestone=waiting, participant=peer, file=pdf_file("action.pdf"))
    survey = SurveyFactory(milestone=waiting, title="Workshop feedback", is_active=True)
    pace = McqQuestionFactory(survey=survey, order=0, text="How was the pace?")
    useful = QuestionFactory(
        survey=survey, order=1, type=Question.Type.RATING, scale_max=5, text="How useful?"
    )
    idea = QuestionFactory(survey=survey, order=2, text="Which idea will you apply first?")
    stars = QuestionFactory(
        survey=survey, order=3, type=Question.Type.OVERALL_RATING, text="Rate the workshop"
    )
    QuestionFactory(
        survey=survey,
        order=4,
        type=Question.Type.OVERALL_TEXT,
        required=False,
        text="Anything else?",
    )
    response = ResponseFactory(survey=survey, respondent=peer)
    AnswerFactory(response=response, question=pace, text="", option=pace.options.first())
    AnswerFactory(response=response, question=useful, text="", rating=4)
    AnswerFactory(response=response, question=idea, text="A daily stand-up.")
    AnswerFactory(response=response, question=stars, text="", rating=5)
    SurveyFactory(milestone=waiting, title="Draft follow-up survey")

    # Ended with nothing done: missing.
    milestone(
        "Process mapping",
        -1,
        upload_progress=Milestone.UploadProgress.MANDATORY,
        multi_day=True,
    )

    # Coming up, with activities to review before it.
    upcoming = milestone("Coaching session", 4, kind=Milestone.Kind.MEETING, passcode="lean")
    ActivityFactory(milestone=upcoming, title="Read the lean primer")
    ActivityFactory(
        milestone=upcoming,
        title="Value stream template",
        upload_type=Activity.UploadType.FILE,
        url="",
        file=pdf_file("template.pdf"),
    )
    ActivityFactory(milestone=upcoming, phase=Activity.Phase.POST, title="Share one change")
    # Not scheduled yet.
    milestone("Final review", kind=Milestone.Kind.MEETING, meeting_link="")
    PlanFactory(name="Last year's plan", archived_at=timezone.now(), archived_by=admin)
    # The project admin's imports and exports, one in each state.
    in_plan = {"started_by": project_admin, "scope": f"plan:{plan.pk}", "subject": plan.name}
    JobFactory(
        **in_plan,
        state="done",
        done=2,
        total=2,
        summary={"added": 1, "skipped": 1},
        report=[
            {"line": 1, "email": "new@example.com", "name": "Nia New", "outcome": "invited"},
            {
                "line": 2,
                "email": "nonsense",
                "name": "",
                "outcome": "skipped",
                "reason": "not_an_email",
            },
        ],
        seen_at=timezone.now(),
    )
    JobFactory(**in_plan, kind="progress_csv", state="running", done=40, total=120)
    JobFactory(**in_plan, state="failed", done=3, error="The plan was deleted meanwhile.")

    consultant = UserFactory(display_name="Connie Consultant")
    client = UserFactory(display_name="Clara Client")
    project = ProjectFactory(
        open=True,
        title="Customer churn model",
        consultant=consultant,
        client=client,
        acceptance_required=True,
    )
    today = timezone.localdate()
    delivered = ProjectMilestoneFactory(
        project=project,
        title="Data cleaning",
        due_date=today - datetime.timedelta(days=10),
        completed_at=timezone.now(),
        completed_by=consultant,
        accepted_at=timezone.now(),
        accepted_by=client,
    )
    ProjectMilestoneFactory(
        project=project,
        title="Exploratory analysis",
        due_date=today - datetime.timedelta(days=5),
        completed_at=timezone.now(),
        completed_by=consultant,
    )
    DeliverableFactory(milestone=delivered)
    DeliverableFactory(
        milestone=delivered, title="Notebook", file="", filename="", url="https://example.com/nb"
    )
    ProjectMilestoneFactory(
        project=project, title="Feature design", due_date=today - datetime.timedelta(days=2)
    )
    ProjectMilestoneFactory(project=project, title="Model report")
    ChatMessageFactory(project=project, author=client, body="Is the data complete?")
    ChatMessageFactory(project=project, author=consultant, body="Yes, all twelve months.")
    ChatMessageFactory(
        project=project,
        author=consultant,
        kind=ChatMessage.Kind.SYSTEM,
        event=ChatMessage.Event.COMPLETED,
        body="Connie Consultant completed “Data cleaning”.",
    )
    ProjectFactory(title="Retail footfall analysis", consultant=consultant, client=client)

    return {
        "platform admin": admin.email,
        "project admin": project_admin.email,
        "trainer": trainer_user.email,
        "participant": participant.email,
        "consultant": consultant.email,
        "client": client.email,
    }


class Crawl:
    """Breadth-first over the links of a signed-in session, a few pages of each kind."""

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = origin
        self.queued: set[str] = set()
        self.per_view: Counter[str] = Counter()
        self.queue: deque[str] = deque()

    def add(self, href: str) -> None:
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return
        if NOT_PAGES.search(f"{parts.path}?{parts.query}"):
            return
        if url in self.queued:
            return
        try:
            view = resolve(parts.path).view_name
        except Resolver404:
            view = parts.path
        if view.startswith("admin:"):
            # The admin site draws every model with the same few templates of Django's:
            # count its pages by template (changelist, change, add...), not by model.
            view = "admin:" + view.rsplit("_", 1)[-1]
        cap = PER_STATEFUL_VIEW if view in STATEFUL_VIEWS else PER_VIEW
        if self.per_view[view] >= cap:
            return
        self.per_view[view] += 1
        self.queued.add(url)
        self.queue.append(url)

    def pages(self):
        visited = 0
        while self.queue and visited < MAX_PAGES:
            url = self.queue.popleft()
            try:
                response = self.page.goto(url)
            except PlaywrightError as error:
                # A file served from a link that does not say so, or a redirect away from
                # the test server (which the tests cannot reach).
                if "Download is starting" in error.message or "net::ERR_" in error.message:
                    continue
                raise
            if not self.page.url.startswith(self.origin + "/"):
                continue
            assert response is not None and response.status < 500, f"{url} answered an error"
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            visited += 1
            yield self.page.url
            for href in self.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
                self.add(href)


def report(found: dict[tuple[str, str], list[dict]]) -> str:
    lines = []
    for (url, viewport), violations in found.items():
        lines.append(f"{url} ({viewport})")
        for violation in violations:
            lines.append(f"  {violation['id']} [{violation['impact']}]: {violation['help']}")
            lines.extend(
                f"    {node['target']}  {node['detail']}".rstrip()
                for node in violation["nodes"][:10]
            )
            if len(violation["nodes"]) > 10:
                lines.append(f"    ...and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


class Gallery:
    """Every page a role reached, as a phone and a desktop show it: a folder of screenshots
    per role under test-artifacts/gallery/, with an index page to look through them and one
    index of the roles."""

    ROOT = ARTIFACTS / "gallery"

    def __init__(self, role: str):
        self.role = role
        self.folder = self.ROOT / re.sub(r"[^a-z]+", "-", role.lower()).strip("-")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.shots: list[tuple[str, str, dict[str, str]]] = []

    def take(self, page, url: str) -> None:
        number = len(self.shots) + 1
        files = {}
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            files[name] = f"{number:03d}-{name}.png"
            page.screenshot(path=self.folder / files[name], full_page=True)
        self.shots.append((urlsplit(url).path, page.title(), files))

    def write(self) -> None:
        cards = "\n".join(
            f"<section><h2>{escape(title)} <small>{escape(path)}</small></h2>"
            + "".join(
                f'<a href="{file}"><img src="{file}" alt="{escape(title)}, {name}" '
                f'class="{name}" loading="lazy"></a>'
                for name, file in files.items()
            )
            + "</section>"
            for path, title, files in self.shots
        )
        (self.folder / "index.html").write_text(
            _page(f"Cairn as {self.role}", f'<p><a href="../index.html">All roles</a></p>{cards}')
        )
        roles = sorted(path.parent.name for path in self.ROOT.glob("*/index.html"))
        links = "".join(f'<li><a href="{name}/index.html">{name}</a></li>' for name in roles)
        (self.ROOT / "index.html").write_text(_page("Cairn, page by page", f"<ul>{links}</ul>"))


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{escape(title)}</title>'
        "<style>body{font-family:system-ui;margin:2rem}section{margin-bottom:2rem}"
        "img{border:1px solid #ccc;margin:.5rem;vertical-align:top}"
        "img.desktop{width:720px}img.phone{width:195px}small{color:#555;font-weight:normal}"
        f"</style><h1>{escape(title)}</h1>{body}</html>"
    )


def check_pages(page, axe_source, live_server, start: str, gallery: Gallery | None = None):
    page.context.add_init_script(script=axe_source)
    crawl = Crawl(page, live_server.url)
    crawl.add(live_server.url + start)
    found = {}
    visited = []
    for url in crawl.pages():
        visited.append(url)
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            if violations := axe_violations(page):
                found[url, name] = violations
        if gallery is not None:
            gallery.take(page, url)
        page.set_viewport_size(VIEWPORTS["desktop"])
    if gallery is not None:
        gallery.write()
    return {"visited": visited, "found": found}


# A page of each role's main journeys, so a crawl that stops short cannot pass unnoticed.
JOURNEYS = {
    "platform admin": {"bip:create", "collaboration:project_new", "admin:index"},
    "project admin": {
        "milestones:attendance",
        "milestones:uploads_review",
        "progress:dashboard",
        "surveys:builder",
        "surveys:results",
    },
    "trainer": {"milestones:attendance"},
    "participant": {"progress:my_plan", "progress:my_milestone", "surveys:answer"},
    "consultant": {"collaboration:milestone_add", "collaboration:deliverable_add"},
    "client": {"collaboration:project", "collaboration:milestone_changes"},
}


@pytest.mark.parametrize("role", JOURNEYS)
def test_every_page_a_role_reaches_passes_axe(page, live_server, axe_source, role):
    email = world()[role]
    page.set_viewport_size(VIEWPORTS["desktop"])
    sign_in(page, email, PASSWORD)
    assert "/accounts/login/" not in page.url, f"{role} could not sign in"
    result = check_pages(page, axe_source, live_server, "/", Gallery(role))
    reached = {resolve(urlsplit(url).path).view_name for url in result["visited"]}
    assert JOURNEYS[role] <= reached, f"{role} never reached {JOURNEYS[role] - reached}"
    assert not result["found"], (
        f"axe-core found serious or critical WCAG 2.1 AA violations on "
        f"{len(result['found'])} of {2 * len(result['visited'])} page views as {role}:\n"
        + report(result["found"])
    )


def test_every_page_before_signing_in_passes_axe(page, live_server, axe_source):
    result = check_pages(page, axe_source, live_server, "/accounts/login/", Gallery("visitor"))
    assert not result["found"], report(result["found"])
