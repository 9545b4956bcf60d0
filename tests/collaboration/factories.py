import datetime

import factory
from django.utils import timezone

from collaboration.models import ChatMessage, Project, ProjectMilestone
from tests.factories import UserFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project before its initial payment: the milestones section is still closed."""

    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Market study {n}")
    consultant = factory.SubFactory(UserFactory)
    client = factory.SubFactory(UserFactory)
    completion_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )
    initial_payment_required = True

    class Params:
        # Paid and opened by a platform admin: milestones can be added.
        open = factory.Trait(
            payment_amount="1500.00",
            payment_received_on=factory.LazyFunction(timezone.localdate),
            payment_reference="INV-001",
            payment_recorded_at=factory.LazyFunction(timezone.now),
            milestones_opened_at=factory.LazyFunction(timezone.now),
        )


class ProjectMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMilestone

    project = factory.SubFactory(ProjectFactory, open=True)
    due_date = factory.LazyAttribute(lambda m: m.project.completion_date)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    description = "Clean the data provided by the client, and make it ready for analysis."


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    project = factory.SubFactory(ProjectFactory, open=True)
    author = factory.LazyAttribute(lambda m: m.project.client)
    body = factory.Sequence(lambda n: f"Message number {n}")
