from django.utils.functional import SimpleLazyObject

from bip.selectors import plans_managed_by

MENU_PLANS = 15


def navigation(request):
    """The plans the menu lists for someone who manages plans; queried only when a page
    shows the menu."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_managed_plans": SimpleLazyObject(
            lambda: list(plans_managed_by(user).order_by("-start_date", "name")[:MENU_PLANS])
        )
    }
