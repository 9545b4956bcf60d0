import datetime
from decimal import Decimal

from django.utils import timezone

from collaboration.models import ChatMessage, Project, ProjectMilestone

CONSULTANT = "consultant@cairn.example"
CLIENT = "client@cairn.example"
ADMIN = "admin@cairn.example"


def load_projects(people) -> list[Project]:
    """Projects in each stage: before payment, paid but closed, open with milestones in every
    state, and one running late. Projects that already exist are left as they are."""
    today = timezone.localdate()
    now = timezone.now()
    consultant, client, admin = people[CONSULTANT], people[CLIENT], people[ADMIN]

    def project(title, completion_in, **fields):
        found, created = Project.objects.get_or_create(
            title=title,
            defaults={
                "consultant": consultant,
                "client": client,
                "completion_date": today + datetime.timedelta(days=completion_in),
                "created_by": admin,
                "created_at": now - datetime.timedelta(days=30),
                **fields,
            },
        )
        return found, created

    def paid(days_ago, amount, reference):
        return {
            "payment_amount": Decimal(amount),
            "payment_received_on": today - datetime.timedelta(days=days_ago),
            "payment_reference": reference,
            "payment_recorded_by": admin,
            "payment_recorded_at": now - datetime.timedelta(days=days_ago),
        }

    def opened(days_ago):
        return {
            "milestones_opened_at": now - datetime.timedelta(days=days_ago),
            "milestones_opened_by": admin,
        }

    waiting, _ = project("Retail footfall analysis", 75)
    ready, _ = project("Pricing strategy review", 45, **paid(1, "1800.00", "INV-2026-031"))

    churn, created = project(
        "Customer churn model",
        40,
        **paid(20, "4500.00", "INV-2026-014"),
        **opened(19),
    )
    if created:
        _fill(
            churn,
            consultant=consultant,
            client=client,
            admin=admin,
            opened_days_ago=19,
            milestones=[
                # (title, description, due in days, state)
                (
                    "Kick-off and data request",
                    "Agree the scope, the churn definition and the data extracts to share.",
                    -14,
                    "complete",
                ),
                (
                    "Data cleaning",
                    "Clean the data provided by the client, and make it ready for analysis.",
                    -2,
                    "overdue",
                ),
                (
                    "Exploratory analysis",
                    "Profile churned and retained customers and share the first findings.",
                    2,
                    "reopened",
                ),
                (
                    "Model build",
                    "Train and validate the churn model; agree the accuracy threshold.",
                    20,
                    "open",
                ),
                (
                    "Final report and handover",
                    "Present the model, the findings and the scoring process to the team.",
                    40,
                    "open",
                ),
            ],
            chat=[
                (client, "Hi Carla, the CRM extract is in the shared folder now.", 17),
                (consultant, "Thanks Chris! I'll start on the cleaning this week.", 17),
                (consultant, "The call-centre data has gaps in March; can you check?", 3),
                (client, "Checking with the ops team, I'll come back tomorrow.", 2),
            ],
        )

    survey, created = project(
        "Supplier survey 2026",
        21,
        initial_payment_required=False,
        **opened(40),
    )
    if created:
        _fill(
            survey,
            consultant=consultant,
            client=client,
            admin=admin,
            opened_days_ago=40,
            milestones=[
                (
                    "Questionnaire design",
                    "Draft the supplier questionnaire and agree it with procurement.",
                    -25,
                    "complete",
                ),
                (
                    "Fieldwork",
                    "Send the survey to 300 suppliers and chase non-respondents.",
                    -9,
                    "overdue",
                ),
                (
                    "Results workshop",
                    "Walk the procurement team through the results.",
                    14,
                    "open",
                ),
            ],
            chat=[
                (client, "Response rate looks low, should we extend fieldwork?", 6),
            ],
        )

    return [waiting, ready, churn, survey]


def _fill(project, *, consultant, client, admin, opened_days_ago, milestones, chat):
    """Milestones and a conversation as if the project had run for a while."""
    now = timezone.now()
    today = timezone.localdate()

    def ago(days, minutes=0):
        return now - datetime.timedelta(days=days) + datetime.timedelta(minutes=minutes)

    events = [
        (
            ago(opened_days_ago),
            ChatMessage(
                kind=ChatMessage.Kind.SYSTEM,
                author=admin,
                event=ChatMessage.Event.OPENED,
                body=f"{admin} opened the milestones section. {consultant} can now add the "
                "project's milestones.",
            ),
        )
    ]
    for index, (title, description, due_in, state) in enumerate(milestones):
        added = ago(opened_days_ago - 1, minutes=index)
        due_date = today + datetime.timedelta(days=due_in)
        milestone = ProjectMilestone.objects.create(
            project=project,
            title=title,
            description=description,
            due_date=due_date,
            created_by=consultant,
            created_at=added,
        )
        events.append(
            (
                added,
                ChatMessage(
                    kind=ChatMessage.Kind.SYSTEM,
                    author=consultant,
                    event=ChatMessage.Event.ADDED,
                    body=f"{consultant} added the milestone “{title}”, due "
                    f"{due_date:%a} {due_date.day} {due_date:%b %Y}.",
                ),
            )
        )
        if state in ("complete", "reopened"):
            done = ago(max(-due_in, 1) if state == "complete" else 4)
            milestone.completed_at, milestone.completed_by = done, consultant
            events.append((done, _ticked(consultant, title, ChatMessage.Event.COMPLETED)))
        if state == "reopened":
            milestone.completed_at = milestone.completed_by = None
            milestone.reopened_at, milestone.reopened_by = ago(1), consultant
            events.append((ago(1), _ticked(consultant, title, ChatMessage.Event.UNCOMPLETED)))
        milestone.save()
    for author, body, days_ago in chat:
        events.append(
            (ago(days_ago), ChatMessage(kind=ChatMessage.Kind.PERSON, author=author, body=body))
        )
    for created_at, message in sorted(events, key=lambda event: event[0]):
        message.project = project
        message.created_at = created_at
        message.save()


def _ticked(consultant, title, event):
    done = "complete" if event == ChatMessage.Event.COMPLETED else "as not complete"
    return ChatMessage(
        kind=ChatMessage.Kind.SYSTEM,
        author=consultant,
        event=event,
        body=f"{consultant} marked the milestone “{title}” {done}.",
    )
