from django.utils import timezone

from collaboration.selectors import projects_for_user


def navigation(request):
    """The signed-in person's projects, for the menu and the home page.

    A lazy queryset: pages that show neither run no query, and pages that show both share one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_projects": projects_for_user(user, today=timezone.localdate())}
