import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from collaboration.chat_lines import chat_line
from collaboration.models import ChatMessage, Deliverable, Project, ProjectMilestone, ProjectReader

CONSULTANT = "consultant@cairn.example"
CLIENT = "client@cairn.example"
ADMIN = "admin@cairn.example"
# A one-page PDF standing in for the consultant's slides.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


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

    sizing, created = project(
        "Market sizing study",
        30,
        acceptance_required=True,
        currency="GBP",
        **paid(25, "2000.00", "INV-2026-022"),
        **opened(24),
    )
    if created:
        _fill(
            sizing,
            consultant=consultant,
            client=client,
            admin=admin,
            opened_days_ago=24,
            milestones=[
                (
                    "Desk research",
                    "Collect published figures on the UK market for smart thermostats.",
                    -12,
                    "accepted",
                    {"amount": Decimal("1500.00"), "paid_on": today - datetime.timedelta(days=5)},
                ),
                (
                    "Buyer survey",
                    "Survey 400 households on their plans to buy a smart thermostat.",
                    -1,
                    "delivered",
                    {"amount": Decimal("3000.00")},
                ),
                (
                    "Sizing model",
                    "Combine the research and the survey into a market sizing model.",
                    12,
                    "changes",
                    {"amount": Decimal("2500.00")},
                ),
                (
                    "Final presentation",
                    "Present the market size, its growth and the assumptions behind them.",
                    30,
                    "open",
                    {"amount": Decimal("1000.00")},
                ),
            ],
            chat=[
                (consultant, "The survey results are up, with the raw data as a link.", 1),
                (client, "Thanks! I'll read them tonight and accept tomorrow.", 0),
            ],
        )
        survey_milestone = sizing.milestones.get(title="Buyer survey")
        Deliverable.objects.create(
            milestone=survey_milestone,
            title="Survey results (slides)",
            file=ContentFile(DEMO_PDF, name="buyer-survey-results.pdf"),
            filename="Buyer survey results.pdf",
            added_by=consultant,
        )
        Deliverable.objects.create(
            milestone=survey_milestone,
            title="Raw responses",
            url="https://data.example/market-sizing/raw-responses",
            added_by=consultant,
        )
        # The client has read the whole chat; the consultant has not seen the last message.
        last, before_last = sizing.messages.order_by("-pk")[:2]
        ProjectReader.objects.create(project=sizing, user=client, last_read_id=last.pk)
        ProjectReader.objects.create(project=sizing, user=consultant, last_read_id=before_last.pk)

    return [waiting, ready, churn, survey, sizing]


def _fill(project, *, consultant, client, admin, opened_days_ago, milestones, chat):
    """Milestones and a conversation as if the project had run for a while."""
    now = timezone.now()
    today = timezone.localdate()

    def ago(days, minutes=0):
        return now - datetime.timedelta(days=days) + datetime.timedelta(minutes=minutes)

    events = [
        (
            ago(opened_days_ago),
            _line(admin, ChatMessage.Event.OPENED, "opened", consultant=str(consultant)),
        )
    ]
    for index, (title, description, due_in, state, *extra) in enumerate(milestones):
        added = ago(opened_days_ago - 1, minutes=index)
        due_date = today + datetime.timedelta(days=due_in)
        milestone = ProjectMilestone.objects.create(
            project=project,
            title=title,
            description=description,
            due_date=due_date,
            created_by=consultant,
            created_at=added,
            **(extra[0] if extra else {}),
        )
        events.append(
            (
                added,
                _line(
                    consultant,
                    ChatMessage.Event.ADDED,
                    "added",
                    title=title,
                    due=due_date.isoformat(),
                ),
            )
        )
        if state in ("complete", "reopened", "accepted", "delivered", "changes"):
            done = ago(max(-due_in, 1) if state in ("complete", "accepted") else 4)
            milestone.completed_at, milestone.completed_by = done, consultant
            events.append((done, _ticked(consultant, title, ChatMessage.Event.COMPLETED)))
        if state == "reopened":
            milestone.completed_at = milestone.completed_by = None
            milestone.reopened_at, milestone.reopened_by = ago(1), consultant
            events.append((ago(1), _ticked(consultant, title, ChatMessage.Event.UNCOMPLETED)))
        if state == "accepted":
            milestone.accepted_at, milestone.accepted_by = ago(max(-due_in - 1, 1)), client
            events.append(
                (
                    milestone.accepted_at,
                    _line(client, ChatMessage.Event.ACCEPTED, "accepted", title=title),
                )
            )
        if state == "changes":
            comment = "Please add the commercial segment, not just households."
            milestone.completed_at = milestone.completed_by = None
            milestone.reopened_at = milestone.changes_requested_at = ago(2)
            milestone.reopened_by = client
            milestone.changes_requested = comment
            events.append(
                (
                    ago(2),
                    _line(
                        client,
                        ChatMessage.Event.CHANGES,
                        "changes_requested",
                        title=title,
                        comment=comment,
                    ),
                )
            )
        if milestone.paid_on:
            milestone.payment_reference = "INV-2026-040"
            milestone.payment_recorded_by = admin
            milestone.payment_recorded_at = ago(5)
        # The client was told of each change as it happened.
        milestone.announced = milestone.told()
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
    line = "completed" if event == ChatMessage.Event.COMPLETED else "uncompleted"
    return _line(consultant, event, line, title=title)


def _line(actor, event, line, **facts):
    """A system line as the services write it: its facts, shown in each reader's language,
    and its English text."""
    details = {"line": line, "actor": str(actor), **facts}
    with translation.override(settings.LANGUAGE_CODE):
        body = chat_line(details)
    return ChatMessage(
        kind=ChatMessage.Kind.SYSTEM, author=actor, event=event, body=body, details=details
    )
