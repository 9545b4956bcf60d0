import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from bip.models import Plan, PlanMembership
from jobs.models import Job
from tests.factories import JobFactory, PlanFactory, PlanMembershipFactory, UserFactory
from tests.pages import visible_text
from tests.passwords import choose_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_a_platform_admin_creates_a_plan(platform_admin_client):
    response = platform_admin_client.post(
        reverse("bip:create"),
        {
            "name": "Lean 2027",
            "description": "A year of lean.",
            "start_date": "2027-01-04",
            "end_date": "2027-06-30",
            "time_zone": "Europe/Paris",
        },
        follow=True,
    )
    plan = Plan.objects.get()
    assert (plan.name, plan.time_zone) == ("Lean 2027", "Europe/Paris")
    assert response.redirect_chain[-1][0] == reverse("bip:members", args=[plan.pk])
    assert "“Lean 2027” is created" in response.text


def test_a_plan_that_ends_before_it_starts_is_refused_next_to_the_end_date(platform_admin_client):
    response = platform_admin_client.post(
        reverse("bip:create"),
        {
            "name": "Backwards",
            "start_date": "2027-06-30",
            "end_date": "2027-01-01",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": ["The plan must end on or after its start date."]
    }
    assert 'value="Backwards"' in response.text
    assert not Plan.objects.exists()


def test_a_project_admin_edits_their_plan(client, plan):
    admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    client.force_login(admin)
    response = client.post(
        reverse("bip:edit", args=[plan.pk]),
        {
            "name": "Northwind 2",
            "start_date": "2027-01-01",
            "end_date": "2027-02-01",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "Northwind 2"


def test_adding_an_unknown_address_invites_a_new_account(
    platform_admin_client, client, plan, on_commit
):
    with on_commit():
        response = platform_admin_client.post(
            reverse("bip:members", args=[plan.pk]),
            {
                "one-email": "New.Person@Example.com",
                "one-name": "New Person",
                "one-role": "participant",
            },
            follow=True,
        )
    assert "new.person@example.com is invited" in response.text
    person = User.objects.get(email="new.person@example.com")
    assert person.display_name == "New Person"
    assert not person.has_usable_password()
    assert plan.memberships.get(user=person).role == "participant"

    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["new.person@example.com"]
    assert invitation.subject == "You are invited to Northwind on Cairn"
    # The invited person chooses a password from the link and signs in.
    done = choose_password(client, invitation.body, "invited-passphrase-7")
    assert "Your password is saved" in done.text
    # Following the emailed link showed they read that address.
    assert EmailAddress.objects.get(email="new.person@example.com").verified
    assert client.login(username="new.person@example.com", password="invited-passphrase-7")


def test_adding_an_existing_account_tells_them_by_email(platform_admin_client, plan, on_commit):
    person = UserFactory(email="ada@example.com")
    with on_commit():
        platform_admin_client.post(
            reverse("bip:members", args=[plan.pk]),
            {"one-email": "ada@example.com", "one-role": "project_admin"},
        )
    assert plan.memberships.get(user=person).role == "project_admin"
    assert mail.outbox[0].subject == "You have been added to Northwind"
    assert User.objects.filter(email="ada@example.com").count() == 1


def test_adding_someone_twice_says_why_and_changes_nothing(platform_admin_client, plan):
    membership = PlanMembershipFactory(plan=plan, role="participant")
    response = platform_admin_client.post(
        reverse("bip:members", args=[plan.pk]),
        {"one-email": membership.user.email, "one-role": "project_admin"},
        follow=True,
    )
    assert "already a member, as participant" in response.text
    membership.refresh_from_db()
    assert membership.role == "participant"
    assert plan.memberships.count() == 1


def test_a_bad_address_is_refused_next_to_the_field(platform_admin_client, plan):
    response = platform_admin_client.post(
        reverse("bip:members", args=[plan.pk]),
        {"one-email": "not-an-email", "one-role": "participant"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert 'value="not-an-email"' in response.text
    assert not plan.memberships.exists()


def test_a_pasted_list_is_added_in_the_background_with_a_report_of_every_line(
    platform_admin_client, plan, on_commit
):
    existing = PlanMembershipFactory(plan=plan).user
    known = UserFactory(email="known@example.com")
    text = "\n".join(
        [
            "first@example.com",
            "Grace Hopper <grace@example.com>",
            "known@example.com, Known Person",
            "nonsense",
            "FIRST@example.com",
            existing.email,
            "",
        ]
    )
    with on_commit():
        response = platform_admin_client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-text": text, "bulk-role": "participant"},
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])

    page = platform_admin_client.get(response["Location"])
    report = {row.line: (row.outcome, row.reason_text) for row in page.context["report"].rows}
    assert report == {
        1: ("invited", ""),
        2: ("invited", ""),
        3: ("added", ""),
        4: ("skipped", "not an email address"),
        5: ("skipped", "listed twice"),
        6: ("skipped", "already a member, as participant"),
    }
    assert "3 added, 3 skipped." in visible_text(page)
    assert "Member import into Northwind is finished: 3 added, 3 skipped." in visible_text(page)
    assert User.objects.get(email="grace@example.com").display_name == "Grace Hopper"
    assert set(plan.memberships.values_list("user__email", flat=True)) == {
        existing.email,
        "first@example.com",
        "grace@example.com",
        known.email,
    }
    assert len(mail.outbox) == 3


def test_a_csv_file_with_a_header_is_added(platform_admin_client, plan, on_commit):
    upload = SimpleUploadedFile(
        "people.csv", b"email,name\r\nlin@example.com,Lin Wei\r\nsam@example.com,\r\n", "text/csv"
    )
    with on_commit():
        response = platform_admin_client.post(
            reverse("bip:members_bulk", args=[plan.pk]),
            {"bulk-csv_file": upload, "bulk-role": "project_admin"},
        )
    page = platform_admin_client.get(response["Location"])
    assert [row.email for row in page.context["report"].rows] == [
        "lin@example.com",
        "sam@example.com",
    ]
    assert plan.memberships.filter(role="project_admin").count() == 2


def test_a_bulk_form_with_nothing_in_it_says_so(platform_admin_client, plan):
    response = platform_admin_client.post(
        reverse("bip:members_bulk", args=[plan.pk]), {"bulk-text": " ", "bulk-role": "participant"}
    )
    assert "Paste a list of addresses or choose a CSV file." in response.text
    assert not Job.objects.exists()


def test_a_list_with_no_address_on_it_is_refused_at_once(platform_admin_client, plan):
    response = platform_admin_client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-text": "email\nnot an address\n", "bulk-role": "participant"},
    )
    assert response.status_code == 200
    assert "The list has no email address on it" in visible_text(response)
    assert "not an address" in response.text  # what was pasted stays in the box
    assert not Job.objects.exists()


def test_a_list_too_long_for_one_import_is_refused_at_once(
    platform_admin_client, plan, monkeypatch
):
    monkeypatch.setattr("bip.services.MEMBER_IMPORT_MAX_LINES", 2)
    response = platform_admin_client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-text": "a@example.com\nb@example.com\nc@example.com", "bulk-role": "participant"},
    )
    assert "The list has 3 lines; one import takes up to 2." in visible_text(response)
    assert not Job.objects.exists()


def test_a_csv_that_is_not_text_is_refused(platform_admin_client, plan):
    upload = SimpleUploadedFile("people.csv", b"%PDF-1.4 not a csv", "text/csv")
    response = platform_admin_client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-csv_file": upload, "bulk-role": "participant"},
    )
    assert "The contents of “people.csv” are not a CSV file" in response.text
    assert not plan.memberships.exists()
    assert not Job.objects.exists()


def test_a_csv_not_saved_as_utf8_is_refused_with_what_to_do(platform_admin_client, plan):
    # Plain ASCII at the start, as the upload check reads it, then a Latin-1 name.
    text = "email,name\r\n" + "".join(f"p{n}@example.com,P{n}\r\n" for n in range(400))
    upload = SimpleUploadedFile(
        "people.csv", (text + "zoe@example.com,Zo\xeb\r\n").encode("latin-1"), "text/csv"
    )
    response = platform_admin_client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-csv_file": upload, "bulk-role": "participant"},
    )
    assert response.status_code == 200
    assert "“people.csv” is not saved as UTF-8 text" in visible_text(response)
    assert not Job.objects.exists()

    with_nul = SimpleUploadedFile(
        "people.csv", (text + "zoe@example.com\x00\r\n").encode(), "text/csv"
    )
    response = platform_admin_client.post(
        reverse("bip:members_bulk", args=[plan.pk]),
        {"bulk-csv_file": with_nul, "bulk-role": "participant"},
    )
    assert "“people.csv” is not saved as UTF-8 text" in visible_text(response)
    assert not Job.objects.exists()


def test_removing_a_member(platform_admin_client, plan):
    membership = PlanMembershipFactory(plan=plan)
    response = platform_admin_client.post(
        reverse("bip:member_remove", args=[plan.pk, membership.pk]), follow=True
    )
    assert "is no longer a member of this plan" in response.text
    assert not PlanMembership.objects.filter(pk=membership.pk).exists()


def test_a_project_admin_cannot_remove_themselves(client, plan):
    membership = PlanMembershipFactory(plan=plan, role="project_admin")
    client.force_login(membership.user)
    response = client.post(reverse("bip:member_remove", args=[plan.pk, membership.pk]), follow=True)
    assert "You cannot remove yourself" in response.text
    assert PlanMembership.objects.filter(pk=membership.pk).exists()


def test_the_plan_list_shows_only_plans_the_person_manages(client, plan):
    admin = PlanMembershipFactory(plan=plan, role="project_admin").user
    PlanMembershipFactory(user=admin, plan__name="Where I only take part")
    PlanFactory(name="Someone else's")
    client.force_login(admin)
    response = client.get(reverse("bip:list"))
    # The menu has a link to the plan they take part in; the list is of plans they manage.
    listed = response.text.split('id="main"', 1)[1]
    assert "Northwind" in listed
    assert "Where I only take part" not in listed
    assert "Someone else" not in response.text
    assert "New plan" not in response.text


def test_members_and_plans_pages_have_a_fixed_number_of_queries(
    platform_admin_client, plan, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PlanMembershipFactory(plan=plan)
    counts = {}
    for name, url in [
        ("members", reverse("bip:members", args=[plan.pk])),
        ("plans", reverse("bip:list")),
    ]:
        with CaptureQueriesContext(connection) as queries:
            platform_admin_client.get(url)
        counts[name] = len(queries)
    for _ in range(8):
        PlanMembershipFactory(plan=plan)
        PlanMembershipFactory(plan=PlanFactory())
        # Imports of every state, each by someone else: the list of recent ones stays one query.
        JobFactory(scope=f"plan:{plan.pk}", state="done", summary={"added": 2, "skipped": 0})
        JobFactory(scope=f"plan:{plan.pk}", state="running", done=3, total=9)
    for name, url in [
        ("members", reverse("bip:members", args=[plan.pk])),
        ("plans", reverse("bip:list")),
    ]:
        with django_assert_num_queries(counts[name]):
            platform_admin_client.get(url)


def test_a_project_admin_cannot_take_themselves_off_a_plan(plan, project_admin):
    from django.core.exceptions import ValidationError

    from bip import services

    own = PlanMembership.objects.get(user=project_admin)
    with pytest.raises(ValidationError, match="You cannot remove yourself"):
        services.membership_remove(membership=own, removed_by=project_admin)
    assert PlanMembership.objects.filter(pk=own.pk).exists()


def test_a_large_plans_members_come_a_page_at_a_time_and_can_be_found(
    platform_admin_client, plan, monkeypatch
):
    from bip import views

    monkeypatch.setattr(views, "MEMBERS_PAGE_SIZE", 2)
    for name in ("Ada Lovelace", "Ben Okri", "Cy Twombly"):
        PlanMembershipFactory(plan=plan, user__display_name=name)
    url = reverse("bip:members", args=[plan.pk])
    first = platform_admin_client.get(url)
    assert first.text.count('data-testid="member-row"') == 2
    assert "1–2 of 3" in visible_text(first)
    found = platform_admin_client.get(url, {"q": "okri"})
    assert found.text.count('data-testid="member-row"') == 1
    assert "Ben Okri" in visible_text(found)
