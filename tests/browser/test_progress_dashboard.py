"""The progress dashboard of a long plan on a laptop and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import MilestoneFactory, PlanMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MILESTONES = 24
PARTICIPANTS = 30


@pytest.fixture
def long_plan():
    admin = PlanMembershipFactory(role="project_admin", plan__name="Northwind")
    plan = admin.plan
    for number in range(1, MILESTONES + 1):
        MilestoneFactory(plan=plan, order=number, name=f"Value stream mapping, part {number}")
    for number in range(1, PARTICIPANTS + 1):
        PlanMembershipFactory(
            plan=plan, user__display_name=f"Participant {number:02}", role="participant"
        )
    return plan, admin.user


def box(locator) -> dict:
    return locator.bounding_box()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_whole_grid_is_usable_and_only_the_grid_scrolls_sideways(
    page, password, long_plan, width
):
    plan, admin = long_plan
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, admin.email, password)
    page.goto(f"/plans/{plan.pk}/progress/")

    grid = page.get_by_test_id("progress-grid")
    expect(
        grid.get_by_role("columnheader", name="24. Value stream mapping, part 24")
    ).to_be_attached()
    page_widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_widths[0] <= page_widths[1], "the page itself scrolls sideways"
    assert grid.evaluate("e => e.scrollWidth > e.clientWidth"), "the grid should overflow its box"

    first_name = grid.get_by_role("rowheader", name="Participant 01")
    header = grid.get_by_role("columnheader", name="Participant")
    grid.evaluate("e => { e.scrollLeft = e.scrollWidth; e.scrollTop = e.scrollHeight / 2; }")
    page.wait_for_function("e => e.scrollLeft > 0 && e.scrollTop > 0", arg=grid.element_handle())

    # The names stay at the grid's left edge and the headers at its top.
    assert abs(box(first_name)["x"] - box(grid)["x"]) <= 2
    assert abs(box(header)["y"] - box(grid)["y"]) <= 2
    last = grid.get_by_role("columnheader", name="24. Value stream mapping, part 24")
    assert box(last)["x"] + box(last)["width"] <= box(grid)["x"] + box(grid)["width"] + 1
    # Still no sideways scrolling of the page once the grid has been scrolled.
    assert page.evaluate("window.scrollX") == 0

    # A cell says which milestone it is about in its popover.
    cell = grid.get_by_role("button", name="24. Value stream mapping, part 24 · ").first
    cell.focus()
    expect(page.locator(".popover")).to_contain_text("24. Value stream mapping, part 24")
