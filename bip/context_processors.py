from django.utils.functional import SimpleLazyObject

from bip.selectors import current_plans, plans_managed_by

MENU_PLANS = 15


def navigation(request):
    """The plans the menu lists for someone who manages plans, archived ones aside (the list
    of all plans keeps those); queried only when a page shows the menu."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_managed_plans": SimpleLazyObject(
            lambda: list(
                current_plans(plans_managed_by(user)).order_by("-start_date", "name")[:MENU_PLANS]
            )
        )
    }
