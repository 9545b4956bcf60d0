"""Payments per milestone: an amount in the project's currency, due once the milestone is
done, paid once a platform admin records it; the project's totals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from collaboration import services
from collaboration.models import ChatMessage
from common.templatetags.money import money
from tests.factories import ProjectFactory, ProjectMilestoneFactory
from tests.pages import screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(consultant, customer):
    project = ProjectFactory(
        consultant=consultant,
        client=customer,
        open=True,
        title="Churn model",
        currency="GBP",
        payment_amount=Decimal("1000.00"),
    )
    project.refresh_from_db()
    return project


def payment_url(milestone):
    return reverse("collaboration:milestone_payment", args=[milestone.project_id, milestone.pk])


class TestAmounts:
    def test_the_page_shows_each_amount_its_state_and_the_totals(
        self, as_user, priced, consultant, customer
    ):
        done = ProjectMilestoneFactory(
            project=priced,
            title="Data cleaning",
            amount=Decimal("500.00"),
            completed_at=timezone.now(),
        )
        ProjectMilestoneFactory(project=priced, title="Model", amount=Decimal("2500.00"))
        ProjectMilestoneFactory(
            project=priced,
            title="Kick-off",
            amount=Decimal("250.00"),
            completed_at=timezone.now(),
            paid_on=timezone.localdate(),
        )
        seen = screen(as_user(customer).get(reverse("collaboration:project", args=[priced.pk])))
        # £1,000 initial (received) + £3,250 of milestones; £1,250 paid; £500 due now.
        assert "Total £4,250.00" in seen.text
        assert "Paid £1,250.00" in seen.text
        assert "Outstanding £3,000.00" in seen.text
        assert "Due now £500.00" in seen.text
        assert "£500.00 Payment due" in seen.text
        assert "£2,500.00 Not due yet" in seen.text
        assert "Record payment" not in seen.links
        assert done.payment_status(priced) == "due"

    def test_the_consultant_sets_an_amount_and_the_client_hears_of_a_change(
        self, as_user, priced, consultant, settle
    ):
        milestone = ProjectMilestoneFactory(project=priced, title="Data cleaning")
        response = as_user(consultant).post(
            reverse("collaboration:milestone_edit", args=[priced.pk, milestone.pk]),
            {
                "due_date": milestone.due_date.isoformat(),
                "title": "Data cleaning",
                "description": milestone.description,
                "amount": "750.00",
            },
        )
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert milestone.amount == Decimal("750.00")
        settle()
        email = priced.client.notifications.get(kind="project_milestone_changed")
        assert "Amount\n  was: none\n  now: £750.00" in email.body_text

    @pytest.mark.parametrize("amount", ["0", "-5", "abc", "12345678901234"])
    def test_a_bad_amount_is_refused_by_its_field(self, as_user, priced, consultant, amount):
        milestone = ProjectMilestoneFactory(project=priced)
        response = as_user(consultant).post(
            reverse("collaboration:milestone_edit", args=[priced.pk, milestone.pk]),
            {
                "due_date": milestone.due_date.isoformat(),
                "title": milestone.title,
                "description": milestone.description,
                "amount": amount,
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["amount"]
        milestone.refresh_from_db()
        assert milestone.amount is None

    def test_amounts_are_written_for_the_readers_language(self):
        with override("de"):
            assert money(Decimal("1200.5"), "EUR") == "1.200,50\xa0€"
        with override("en-gb"):
            assert money(Decimal("1200.5"), "EUR") == "€1,200.50"


class TestRecordingAPayment:
    def test_a_platform_admin_records_it_and_the_chat_says_so(
        self, as_user, priced, platform_admin
    ):
        milestone = ProjectMilestoneFactory(
            project=priced, title="Data cleaning", amount=Decimal("500.00")
        )
        browser = as_user(platform_admin)
        page = screen(browser.get(reverse("collaboration:project", args=[priced.pk])))
        assert page.links["Record payment"] == payment_url(milestone)

        refused = browser.post(payment_url(milestone), {"paid_on": "", "payment_reference": ""})
        assert "This field is required." in screen(refused).text
        future = timezone.localdate() + datetime.timedelta(days=3)
        refused = browser.post(payment_url(milestone), {"paid_on": future.isoformat()})
        assert "A payment cannot be received in the future." in screen(refused).text
        milestone.refresh_from_db()
        assert milestone.paid_on is None

        response = browser.post(
            payment_url(milestone),
            {"paid_on": timezone.localdate().isoformat(), "payment_reference": "INV-9"},
            follow=True,
        )
        assert "The payment for “Data cleaning” is recorded." in screen(response).text
        milestone.refresh_from_db()
        assert milestone.payment_reference == "INV-9"
        assert milestone.payment_recorded_by == platform_admin
        last = priced.messages.last()
        assert last.event == ChatMessage.Event.PAID and "£500.00" in last.body

    def test_nobody_else_may_record_a_payment(self, priced, consultant):
        milestone = ProjectMilestoneFactory(project=priced, amount=Decimal("500.00"))
        with pytest.raises(ValidationError, match="Only a platform admin"):
            services.project_milestone_payment_record(
                milestone=milestone,
                paid_on=timezone.localdate(),
                reference="",
                recorded_by=consultant,
            )

    def test_a_paid_amount_can_no_longer_change(self, as_user, priced, consultant):
        milestone = ProjectMilestoneFactory(
            project=priced, amount=Decimal("500.00"), paid_on=timezone.localdate()
        )
        with pytest.raises(ValidationError, match="paid"):
            services.project_milestone_update(
                milestone=milestone,
                actor=consultant,
                due_date=milestone.due_date,
                title=milestone.title,
                description=milestone.description,
                amount=Decimal("900.00"),
            )
        # On the form the field is shown, disabled: the posted value is ignored.
        response = as_user(consultant).post(
            reverse("collaboration:milestone_edit", args=[priced.pk, milestone.pk]),
            {
                "due_date": milestone.due_date.isoformat(),
                "title": "Renamed",
                "description": milestone.description,
                "amount": "1.00",
            },
        )
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert (milestone.title, milestone.amount) == ("Renamed", Decimal("500.00"))

    def test_a_milestone_without_an_amount_has_nothing_to_record(
        self, as_user, priced, platform_admin
    ):
        milestone = ProjectMilestoneFactory(project=priced)
        response = as_user(platform_admin).get(payment_url(milestone), follow=True)
        assert "has no amount to pay" in screen(response).text
