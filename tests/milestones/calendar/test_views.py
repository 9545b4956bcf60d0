"""Sessions in people's calendars: the private feed calendar apps subscribe to, the calendar
address on the Notifications page, and "Add to calendar" on every milestone page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.calendar.services import calendar_feed_create
from milestones.models import CalendarFeed, Milestone
from tests.factories import (
    MilestoneFactory,
    PlanFactory,
    PlanMembershipFactory,
    TrainerFactory,
    UserFactory,
)
from tests.milestones.calendar.conftest import LONDON
from tests.milestones.calendar.ics import events, only_event, read
from tests.pages import screen, visible_text

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")
NOT_YET = "The calendar entry comes once the session is confirmed."


def feed_url(token):
    return reverse("calendar:feed", args=[token])


def names(response):
    return sorted(str(event["SUMMARY"]) for event in events(response.content))


@pytest.fixture
def confirmed_milestone(milestone):
    """The plan's `milestone`, confirmed for Monday 9 March 2026 from 10:00 to 12:00."""
    milestone.schedule = Milestone.Schedule.CONFIRMED
    milestone.starts_at = datetime.datetime(2026, 3, 9, 10, tzinfo=LONDON)
    milestone.ends_at = datetime.datetime(2026, 3, 9, 12, tzinfo=LONDON)
    milestone.save()
    return milestone


# The private feed


def test_a_calendar_app_fetches_the_participants_sessions_without_signing_in(
    client, plan, participant, confirmed
):
    coaching = confirmed(name="Coaching", invite_sequence=2)
    token = calendar_feed_create(user=participant).token

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    calendar = read(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Cairn sessions"
    event = only_event(response.content)
    assert event["SUMMARY"] == "Coaching"
    assert event["SEQUENCE"] == 2
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    page = reverse("progress:my_milestone", args=[plan.pk, coaching.pk])
    assert event["URL"] == f"http://testserver{page}"
    assert client.head(feed_url(token)).status_code == 200


def test_a_tentative_session_joins_the_feed_once_confirmed_and_leaves_it_when_cancelled(
    client, plan, participant
):
    session = MilestoneFactory(
        plan=plan,
        name="Coaching",
        starts_at=datetime.datetime(2026, 3, 9, 10, tzinfo=LONDON),
        ends_at=datetime.datetime(2026, 3, 9, 11, tzinfo=LONDON),
    )
    url = feed_url(calendar_feed_create(user=participant).token)
    assert names(client.get(url)) == []

    session.schedule = Milestone.Schedule.CONFIRMED
    session.save()
    assert names(client.get(url)) == ["Coaching"]

    session.schedule = Milestone.Schedule.TENTATIVE
    session.save()
    assert names(client.get(url)) == []


def test_each_feed_shows_its_owners_sessions_and_nobody_elses(client, plan, participant, confirmed):
    confirmed(name="Northwind session")
    elsewhere = PlanFactory(name="Southwind")
    southwind_participant = PlanMembershipFactory(plan=elsewhere).user
    run = confirmed(plan=elsewhere, name="Southwind session run by Theo")
    confirmed(plan=elsewhere, name="Southwind session run by someone else")
    theo = UserFactory(display_name="Theo Trainer")
    run.trainers.add(TrainerFactory(plan=elsewhere, user=theo))

    def feed_of(person):
        return names(client.get(feed_url(calendar_feed_create(user=person).token)))

    assert feed_of(participant) == ["Northwind session"]
    assert feed_of(theo) == ["Southwind session run by Theo"]
    assert feed_of(southwind_participant) == [
        "Southwind session run by Theo",
        "Southwind session run by someone else",
    ]


def test_an_unknown_replaced_or_stopped_address_answers_404(
    client, participant, confirmed, as_user
):
    confirmed()
    assert client.get(feed_url("not-a-calendar-address")).status_code == 404
    old = calendar_feed_create(user=participant).token

    as_user(participant).post(reverse("calendar:feed_regenerate"))
    new = CalendarFeed.objects.get(user=participant).token
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200

    as_user(participant).post(reverse("calendar:feed_revoke"))
    client.logout()
    assert client.get(feed_url(new)).status_code == 404


def test_a_closed_accounts_address_stops_working(client, participant, confirmed):
    confirmed()
    token = calendar_feed_create(user=participant).token
    participant.is_active = False
    participant.save()
    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_costs_the_same_queries_however_many_sessions_it_lists(
    client, plan, participant, confirmed, django_assert_num_queries
):
    confirmed()
    url = feed_url(calendar_feed_create(user=participant).token)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url).status_code == 200

    for _ in range(5):
        confirmed(multi_day=True, ends_at=datetime.datetime(2026, 3, 11, 12, tzinfo=LONDON))
        other_plan = PlanFactory(time_zone="Asia/Kolkata")
        PlanMembershipFactory(plan=other_plan, user=participant)
        confirmed(plan=other_plan).trainers.add(TrainerFactory(plan=other_plan, user=participant))
    with django_assert_num_queries(len(baseline)):
        response = client.get(url)
    assert len(events(response.content)) == 11


# "Add to calendar"


def download_url(milestone):
    return reverse("milestones:add_to_calendar", args=[milestone.plan_id, milestone.pk])


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("participant", "progress:my_milestone"),
        ("another participant", "progress:my_milestone"),
        ("project admin", "milestones:detail"),
        ("platform admin", "milestones:detail"),
        ("assigned trainer", "milestones:attendance"),
    ],
)
def test_everyone_who_may_see_the_milestone_downloads_its_session_linking_to_their_page(
    confirmed_milestone, people, as_user, who, page
):
    response = as_user(people[who]).get(download_url(confirmed_milestone))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="initial-skill-assessment.ics"'
    assert read(response.content)["METHOD"] == "PUBLISH"
    event = only_event(response.content)
    assert event["SUMMARY"] == "Initial Skill Assessment"
    address = reverse(page, args=[confirmed_milestone.plan_id, confirmed_milestone.pk])
    assert event["URL"] == f"http://testserver{address}"


@pytest.mark.parametrize("who", ["unassigned trainer", "other plan's admin", "outsider"])
def test_anyone_else_gets_404_for_the_download(confirmed_milestone, people, as_user, who):
    assert as_user(people[who]).get(download_url(confirmed_milestone)).status_code == 404


def test_signing_in_comes_before_the_download(client, confirmed_milestone):
    response = client.get(download_url(confirmed_milestone))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_session_that_is_not_confirmed_has_no_download(milestone, participant, as_user):
    milestone.starts_at = datetime.datetime(2026, 3, 9, 10, tzinfo=LONDON)
    milestone.ends_at = datetime.datetime(2026, 3, 9, 12, tzinfo=LONDON)
    milestone.save()
    assert as_user(participant).get(download_url(milestone)).status_code == 404


def milestone_pages(milestone):
    args = [milestone.plan_id, milestone.pk]
    return {
        "participant": reverse("progress:my_milestone", args=args),
        "project admin": reverse("milestones:detail", args=args),
        "assigned trainer": reverse("milestones:attendance", args=args),
    }


@pytest.mark.parametrize("who", ["participant", "project admin", "assigned trainer"])
def test_every_milestone_page_offers_add_to_calendar_for_a_confirmed_session(
    confirmed_milestone, people, as_user, who
):
    page = as_user(people[who]).get(milestone_pages(confirmed_milestone)[who])
    assert screen(page).links["Add to calendar"] == download_url(confirmed_milestone)
    assert NOT_YET not in visible_text(page)


@pytest.mark.parametrize("who", ["participant", "project admin", "assigned trainer"])
def test_a_tentative_session_says_its_calendar_entry_comes_once_confirmed(
    milestone, people, as_user, who
):
    milestone.starts_at = datetime.datetime(2026, 3, 9, 10, tzinfo=LONDON)
    milestone.ends_at = datetime.datetime(2026, 3, 9, 12, tzinfo=LONDON)
    milestone.save()
    page = as_user(people[who]).get(milestone_pages(milestone)[who])
    assert "Add to calendar" not in screen(page).links
    assert NOT_YET in visible_text(page)


# The calendar address on the Notifications page


def test_a_participant_creates_their_calendar_address_from_the_notifications_page(
    participant, as_user
):
    client = as_user(participant)
    page = screen(client.get(PREFERENCES))
    assert "create a private address for your calendar app to subscribe to" in page.text
    assert page.buttons["Create my calendar address"]
    assert {"method": "post", "action": reverse("calendar:feed_create")} in page.forms

    response = client.post(reverse("calendar:feed_create"))
    assert response["Location"] == f"{PREFERENCES}#calendar"

    page = screen(client.get(PREFERENCES))
    token = CalendarFeed.objects.get(user=participant).token
    assert "Your calendar address is ready" in page.text
    assert f"http://testserver/calendar/{token}.ics" in page.text
    assert page.links["Subscribe in my calendar app"] == f"webcal://testserver/calendar/{token}.ics"
    for app in ["Google Calendar", "Outlook", "Apple Calendar"]:
        assert app in page.text
    assert "the address above stops working at once" in page.text
    assert page.buttons["Get a new address"]
    assert page.buttons["Stop my calendar address"]
    assert "Create my calendar address" not in page.buttons


def test_getting_a_new_address_shows_it_and_the_old_one_stops(participant, as_user):
    client = as_user(participant)
    old = calendar_feed_create(user=participant).token

    page = screen(client.post(reverse("calendar:feed_regenerate"), follow=True))

    new = CalendarFeed.objects.get(user=participant).token
    assert "the old one no longer works" in page.text
    assert f"/calendar/{new}.ics" in page.text
    assert old not in page.text


def test_stopping_the_address_takes_it_off_the_page(participant, as_user):
    client = as_user(participant)
    token = calendar_feed_create(user=participant).token

    page = screen(client.post(reverse("calendar:feed_revoke"), follow=True))

    assert "Your calendar address is stopped" in page.text
    assert token not in page.text
    assert page.buttons["Create my calendar address"]
    assert not CalendarFeed.objects.exists()


def test_a_trainer_with_sessions_gets_the_calendar_part_too(confirmed_milestone, people, as_user):
    page = screen(as_user(people["assigned trainer"]).get(PREFERENCES))
    assert page.buttons["Create my calendar address"]


@pytest.mark.parametrize("who", ["outsider", "project admin"])
def test_people_with_no_sessions_see_nothing_about_calendars(people, as_user, who):
    page = screen(as_user(people[who]).get(PREFERENCES))
    assert "calendar address" not in page.text
    assert "Create my calendar address" not in page.buttons


def test_someone_who_left_their_plans_can_still_stop_their_address(plan, participant, as_user):
    calendar_feed_create(user=participant)
    plan.memberships.filter(user=participant).delete()
    page = screen(as_user(participant).get(PREFERENCES))
    assert page.buttons["Stop my calendar address"]


def test_the_address_changes_only_on_post_and_only_for_someone_signed_in(
    client, participant, as_user
):
    for name in ["calendar:feed_create", "calendar:feed_regenerate", "calendar:feed_revoke"]:
        assert client.post(reverse(name))["Location"].startswith(reverse("account_login"))
        assert as_user(participant).get(reverse(name)).status_code == 405
        client.logout()
    assert not CalendarFeed.objects.exists()
