"""Do sign-in and password reset take as long for an unknown address as for a known one?

Prints each request's median and p95 for a known and an unknown address, and their ratio
(1.00 means nobody can tell the two apart by timing). Same-process test client, SQLite in
memory, real password hashing.
"""

import sys

from harness import ms, size, start, timed

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else size(200, 2)


def main() -> None:
    start()
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.urls import reverse

    from tests.factories import UserFactory

    # The project's own hasher, as in production (the tests use a fast one).
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        ACCOUNT_RATE_LIMITS=False,
    ):
        known = UserFactory(email="known@example.com").email
        client = Client()
        rows = []
        for label, url, data in [
            ("sign-in, wrong password", reverse("account_login"), {"password": "wrong-one"}),
            ("password reset", reverse("account_reset_password"), {}),
        ]:
            medians = {}
            for who, email in [("known", known), ("unknown", "nobody@example.com")]:
                field = "login" if "password" in data else "email"

                def request(_, email=email, field=field, url=url, data=data):
                    cache.clear()
                    client.post(url, {field: email, **data})

                timed(request, 10)  # warm up
                timings = timed(request, REPEAT)
                medians[who] = sorted(timings)[len(timings) // 2]
                rows.append(f"  {label:<26} {who:<8} {ms(timings)}")
            rows.append(
                f"  {label:<26} unknown/known = {medians['unknown'] / medians['known']:.2f}"
            )
        print("\n".join(rows))


if __name__ == "__main__":
    main()
