"""Server time of the pages a cohort opens, for a participant of a plan of 5 and of a plan of
500 (30 milestones each): a participant's pages must not grow with the cohort (goal: ratio
at most 1.2). Then the progress dashboard of the 500 against its floor, the same cells
from the same facts with nothing but string joining (goal: at most 2x).

    python bench/pages.py [loads per page]   (an in-memory SQLite database)
"""

import statistics
import sys

from harness import size, start, timed
from seed import seed_plan

LOADS = int(sys.argv[1]) if len(sys.argv) > 1 else size(30, 2)
SIZES = (5, size(500, 20))
MILESTONES = 30


def median_ms(timings):
    return statistics.median(timings) * 1000


def p95_ms(timings):
    return sorted(timings)[int(len(timings) * 0.95)] * 1000


def main() -> None:
    start()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bip.models import PlanMembership
    from milestones.models import Attendance, PostAction, ProgressUpload
    from surveys.models import Response

    plans = {n: seed_plan(participants=n, milestones=MILESTONES) for n in SIZES}
    pages = {
        "participant home": lambda s: reverse("home"),
        "participant plan": lambda s: reverse("progress:my_plan", args=[s.plan.pk]),
        "participant milestone": lambda s: reverse(
            "progress:my_milestone", args=[s.plan.pk, s.past_milestone.pk]
        ),
    }
    print(f"{'page':<24}{'cohort':>7}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'ratio':>7}")
    for label, address in pages.items():
        medians = {}
        for cohort, seeded in plans.items():
            client = Client()
            client.force_login(seeded.participant)
            url = address(seeded)
            assert client.get(url).status_code == 200, url
            queries = []
            with connection.execute_wrapper(
                lambda run, *args, q=queries: q.append(1) or run(*args)
            ):
                client.get(url)
            timings = timed(lambda _, client=client, url=url: client.get(url), LOADS)
            medians[cohort] = median_ms(timings)
            ratio = f"{medians[cohort] / medians[SIZES[0]]:.2f}" if cohort != SIZES[0] else ""
            print(
                f"{label:<24}{cohort:>7}{medians[cohort]:>11.1f}{p95_ms(timings):>9.1f}"
                f"{len(queries):>9}{ratio:>7}"
            )

    big = plans[SIZES[-1]]
    client = Client()
    client.force_login(big.admin)
    url = reverse("progress:dashboard", args=[big.plan.pk])
    client.get(url)
    page = timed(lambda _: client.get(url), LOADS)

    def floor(_):
        # The least any dashboard can do: read the facts in aggregate, decide each cell's
        # state with no requirement objects, and join each distinct cell's HTML.
        ids = [m.pk for m in big.milestones]
        people = list(
            PlanMembership.objects.filter(plan=big.plan, role="participant")
            .order_by("user__display_name")
            .values_list("user_id", "user__display_name")
        )
        attended = set(
            Attendance.objects.filter(milestone_id__in=ids)
            .order_by()
            .values_list("milestone_id", "participant_id")
        )
        accepted = set(
            ProgressUpload.objects.filter(milestone_id__in=ids, status="accepted")
            .order_by()
            .values_list("milestone_id", "participant_id")
        )
        acted = set(
            PostAction.objects.filter(milestone_id__in=ids)
            .order_by()
            .values_list("milestone_id", "participant_id")
        )
        answered = set(
            Response.objects.filter(survey__milestone_id__in=ids, survey__is_active=True)
            .order_by()
            .values_list("survey__milestone_id", "respondent_id")
        )
        html = {}
        rows = []
        for user_id, _name in people:
            cells = []
            for m in big.milestones:
                key = (m.pk, user_id)
                done = (
                    key in attended
                    and (m.upload_progress != "mandatory" or key in accepted)
                    and (not m.post_action_required or key in acted)
                    and key in answered
                )
                state = "complete" if done else "missing"
                cells.append(html.setdefault(state, f'<td class="cell-{state}"></td>'))
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return "".join(rows[:100])

    floor_timings = timed(floor, LOADS)
    dashboard = f"dashboard, {SIZES[-1]} x {MILESTONES}"
    print(
        f"\n{dashboard:<24}{median_ms(page):>18.1f}{p95_ms(page):>9.1f}"
        f"\n{'its floor':<24}{median_ms(floor_timings):>18.1f}{p95_ms(floor_timings):>9.1f}"
        f"\n{'dashboard / floor':<24}{median_ms(page) / median_ms(floor_timings):>18.2f}"
    )


if __name__ == "__main__":
    main()
