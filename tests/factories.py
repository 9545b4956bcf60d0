import datetime

import factory
from django.utils import timezone

from accounts.models import User
from bip.models import Plan, PlanMembership

PASSWORD = "a-strong-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Plan {n}")
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyAttribute(lambda plan: plan.start_date + datetime.timedelta(days=90))


class PlanMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanMembership

    plan = factory.SubFactory(PlanFactory)
    user = factory.SubFactory(UserFactory)
    role = PlanMembership.Role.PARTICIPANT


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "milestones.Milestone"

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    description = "What this milestone covers."
    order = factory.Sequence(lambda n: n)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "milestones.Trainer"

    plan = factory.SubFactory(PlanFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"trainer{n}@example.com")
    organisation = "Acme Coaching"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "milestones.Activity"

    milestone = factory.SubFactory(MilestoneFactory)
    phase = "pre"
    title = factory.Sequence(lambda n: f"Reading {n}")
    upload_type = "link"
    url = "https://example.com/reading"
