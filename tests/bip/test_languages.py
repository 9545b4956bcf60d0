"""Plans in the reader's language: the plan pages and the refusal to archive a running plan
write dates in the reader's named formats."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from bip import services
from bip.models import PlanMembership
from tests.factories import PlanFactory, PlanMembershipFactory, UserFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def autumn():
    return PlanFactory(
        name="Northwind autumn",
        start_date=datetime.date(2026, 10, 5),
        end_date=datetime.date(2027, 3, 3),
        time_zone="Europe/London",
    )


@pytest.mark.parametrize(
    "language, dates",
    [("en-gb", "5 Oct 2026 – 3 Mar 2027"), ("de", "5. Okt 2026 – 3. Mär 2027")],
)
def test_plan_pages_write_dates_in_the_admins_language(client, autumn, language, dates):
    admin = PlanMembershipFactory(
        plan=autumn, role=PlanMembership.Role.PROJECT_ADMIN, user__language=language
    ).user
    client.force_login(admin)
    for url in (reverse("bip:list"), reverse("bip:members", args=[autumn.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.text
        assert dates in visible_text(response)


@pytest.mark.parametrize(
    "language, says",
    [("en-gb", "runs until 3 March 2027:"), ("de", "läuft bis 3. März 2027:")],
)
def test_refusing_to_archive_a_running_plan_writes_its_end_in_the_readers_language(
    autumn, language, says
):
    with (
        time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC)),
        translation.override(language),
        pytest.raises(ValidationError) as refused,
    ):
        services.plan_archive(plan=autumn, archived_by=UserFactory())
    assert says in refused.value.messages[0]
