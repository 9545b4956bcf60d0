"""Putting milestones and activities in order by dragging them, with a mouse or the keyboard
alone, in a real browser; the "Move" forms still do it without JavaScript."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bip.models import Plan
from tests.browser.conftest import sign_in
from tests.factories import ActivityFactory, MilestoneFactory, PlanMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MILESTONES = ["Kick-off", "Baseline assessment", "Lean workshop", "Coaching", "Final review"]
ACTIVITIES = ["Read the primer", "Watch the 5S video", "Map a process", "Bring a question"]


@pytest.fixture
def admin():
    return PlanMembershipFactory(role="project_admin", plan__name="Northwind").user


@pytest.fixture
def plan(admin):
    plan = admin.plan_memberships.get().plan
    for order, name in enumerate(MILESTONES):
        MilestoneFactory(plan=plan, name=name, order=order)
    return plan


@pytest.fixture
def activities_url(plan):
    milestone = plan.milestones.get(name="Kick-off")
    for order, title in enumerate(ACTIVITIES):
        ActivityFactory(milestone=milestone, title=title, order=order)
    return reverse("milestones:activities", args=[plan.pk, milestone.pk, "pre"])


def saved_milestones(plan) -> list[str]:
    return list(plan.milestones.order_by("order", "pk").values_list("name", flat=True))


def shown(page, test_id) -> list[str]:
    """The rows' names in the order the page shows them."""
    return page.get_by_test_id(test_id).evaluate_all("rows => rows.map(row => row.dataset.name)")


def numbers(page, test_id) -> list[str]:
    return page.get_by_test_id(test_id).locator("[data-reorder-number]").all_inner_texts()


def drag(page, handle, onto):
    """Press on a handle, move the mouse over another row a bit at a time, as a hand does,
    and let go."""
    start = handle.bounding_box()
    end = onto.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + 20, end["y"] + end["height"] / 3, steps=15)
    page.mouse.up()


def test_a_milestone_dragged_with_the_mouse_stays_where_it_was_dropped(page, password, plan):
    sign_in(page, plan.memberships.get().user.email, password)
    page.goto(reverse("milestones:plan", args=[plan.pk]))
    rows = page.get_by_test_id("milestone-row")

    drag(page, rows.nth(3).get_by_test_id("drag-handle"), onto=rows.nth(1))

    status = page.get_by_test_id("reorder-status")
    expect(status).to_have_text("Coaching dropped at position 2 of 5.")
    expected = ["Kick-off", "Coaching", "Baseline assessment", "Lean workshop", "Final review"]
    assert shown(page, "milestone-row") == expected
    assert numbers(page, "milestone-row") == ["1", "2", "3", "4", "5"]
    # The "Move" forms follow: the first row can go up no further, the moved one can.
    expect(rows.nth(0).get_by_role("button", name="Move Kick-off up")).to_be_disabled()
    expect(rows.nth(1).get_by_role("button", name="Move Coaching up")).to_be_enabled()
    expect(rows.nth(1).get_by_label("Move to position, Coaching")).to_have_value("2")

    page.reload()
    assert shown(page, "milestone-row") == expected
    assert saved_milestones(plan) == expected


def test_an_activity_is_moved_with_the_keyboard_alone_and_each_step_is_announced(
    page, password, plan, activities_url
):
    sign_in(page, plan.memberships.get().user.email, password)
    page.goto(activities_url)
    status = page.get_by_test_id("reorder-status")
    handle = page.get_by_role("button", name="Move Watch the 5S video", exact=True)
    expect(handle).to_have_accessible_description(
        "Press Space or Enter to pick it up, the up and down arrow keys to move it, and Space "
        "or Enter again to drop it. Escape cancels the move."
    )

    handle.focus()
    page.keyboard.press("Space")
    expect(status).to_have_text("Watch the 5S video picked up. Position 2 of 4.")
    page.keyboard.press("ArrowDown")
    expect(status).to_have_text("Moved to position 3 of 4.")
    page.keyboard.press("ArrowDown")
    expect(status).to_have_text("Moved to position 4 of 4.")
    expect(handle).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_have_text("Watch the 5S video dropped at position 4 of 4.")
    expect(handle).to_be_focused()

    expected = ["Read the primer", "Map a process", "Bring a question", "Watch the 5S video"]
    expect(page.get_by_test_id("activity-row").last).to_contain_text("Watch the 5S video")
    page.reload()
    assert shown(page, "activity-row") == expected


def test_escape_puts_a_row_picked_up_with_the_keyboard_back_and_saves_nothing(
    page, password, plan, activities_url
):
    sign_in(page, plan.memberships.get().user.email, password)
    page.goto(activities_url)
    posted = []
    page.on("request", lambda request: request.method == "POST" and posted.append(request.url))
    handle = page.get_by_role("button", name="Move Read the primer", exact=True)

    handle.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert shown(page, "activity-row")[2] == "Read the primer"
    page.keyboard.press("Escape")

    expect(page.get_by_test_id("reorder-status")).to_have_text("Move cancelled.")
    expect(handle).to_be_focused()
    assert shown(page, "activity-row") == ACTIVITIES
    assert numbers(page, "activity-row") == ["1", "2", "3", "4"]
    page.reload()
    assert shown(page, "activity-row") == ACTIVITIES
    assert not posted


def test_a_refused_drop_puts_the_rows_back_and_says_why(page, password, plan):
    sign_in(page, plan.memberships.get().user.email, password)
    page.goto(reverse("milestones:plan", args=[plan.pk]))
    # Archived by someone else while the page was open.
    Plan.objects.filter(pk=plan.pk).update(archived_at=timezone.now())

    page.get_by_role("button", name="Move Kick-off", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")

    expect(page.get_by_test_id("reorder-error")).to_have_text(Plan.ARCHIVED_MESSAGE)
    assert shown(page, "milestone-row") == MILESTONES
    assert numbers(page, "milestone-row") == ["1", "2", "3", "4", "5"]
    assert saved_milestones(plan) == MILESTONES


def test_without_javascript_the_handles_stay_hidden_and_the_move_forms_still_work(
    browser, live_server, password, plan
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, plan.memberships.get().user.email, password)
    page.goto(reverse("milestones:plan", args=[plan.pk]))
    expect(page.get_by_test_id("drag-handle").first).to_be_hidden()

    page.get_by_label("Move to position, Final review").select_option("1")
    page.get_by_role("button", name=re.compile(r"^Go\b.*Final review")).click()
    expect(page.get_by_test_id("milestone-row").first).to_contain_text("Final review")
    assert saved_milestones(plan)[0] == "Final review"
    context.close()
