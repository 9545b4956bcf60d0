from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from collaboration.selectors import projects_for_user


def navigation(request):
    """The signed-in person's projects, for the menu and the home page.

    Lazy: pages that show neither run no query, and pages that show both share one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_projects": SimpleLazyObject(lambda: projects_for_user(user, today=timezone.localdate()))
    }
