from django.utils.functional import SimpleLazyObject

from bip.selectors import current_plans, participant_plan_memberships, plans_managed_by

MENU_PLANS = 15


def navigation(request):
    """The plans the menu lists, archived ones aside (the list of all plans keeps those):
    the ones a person manages and the ones they take part in; queried only when a page
    shows the menu."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_managed_plans": SimpleLazyObject(
            lambda: list(
                current_plans(plans_managed_by(user)).order_by("-start_date", "name")[:MENU_PLANS]
            )
        ),
        "nav_participant_plans": SimpleLazyObject(
            lambda: [
                membership.plan
                for membership in participant_plan_memberships(user, current=True)[:MENU_PLANS]
            ]
        ),
    }
