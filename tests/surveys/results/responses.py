"""Participants and their responses for the results tests."""

import datetime

from django.utils import timezone

from bip.models import PlanMembership
from surveys.models import Answer
from tests.factories import PlanMembershipFactory, ResponseFactory, UserFactory


def on_march(day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour))


def participant_of(plan, name, email):
    return PlanMembershipFactory(
        plan=plan,
        role=PlanMembership.Role.PARTICIPANT,
        user=UserFactory(display_name=name, email=email),
    ).user


def respond(survey, person, questions, *, option, rating, stars, text="", day=1):
    """`person`'s response to the `survey_questions` survey."""
    response = ResponseFactory(survey=survey, respondent=person, submitted_at=on_march(day))
    rows = [
        Answer(
            response=response,
            question=questions["mcq"],
            option=questions["mcq"].options.get(text=option),
        ),
        Answer(response=response, question=questions["stars"], rating=stars),
    ]
    if rating is not None:
        rows.append(Answer(response=response, question=questions["rating"], rating=rating))
    if text:
        rows.append(Answer(response=response, question=questions["text"], text=text))
    Answer.objects.bulk_create(rows)
    return response
