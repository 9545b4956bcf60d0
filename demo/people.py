from accounts.models import User
from accounts.services import email_address_verify

DEMO_PASSWORD = "cairn-demo"

# (email, display name, time zone, platform admin); the Berlin accounts read Cairn in German.
PEOPLE = [
    ("admin@cairn.example", "Ada Admin", "Europe/London", True),
    ("pam@cairn.example", "Pam Okafor", "Europe/London", False),
    ("trainer@cairn.example", "Theo Trainer", "Europe/Berlin", False),
    ("priya@cairn.example", "Priya Natarajan", "Asia/Kolkata", False),
    ("paul@cairn.example", "Paul Jensen", "America/New_York", False),
    # The programme's earlier cohort (see demo.cohorts).
    ("omar@cairn.example", "Omar Haddad", "Europe/London", False),
    ("lena@cairn.example", "Lena Fischer", "Europe/Berlin", False),
    ("kofi@cairn.example", "Kofi Mensah", "Europe/London", False),
    ("consultant@cairn.example", "Carla Consultant", "Europe/Madrid", False),
    ("client@cairn.example", "Chris Client", "America/Chicago", False),
]


def load_people() -> dict[str, User]:
    """One account per role, keyed by email; existing accounts are left as they are."""
    people = {}
    for email, name, time_zone, is_staff in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "time_zone": time_zone,
                "language": "de" if time_zone == "Europe/Berlin" else "",
                "is_staff": is_staff,
            },
        )
        if created:
            user.is_superuser = is_staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            email_address_verify(user)
        people[email] = user
    return people
