"""The consultant and client pickers of the project form: the search behind them, and the
form they fill, as it posts with JavaScript (the id of the person chosen) and without (the
address typed in the box)."""

import re

import pytest
from django.urls import reverse

from accounts.selectors import PEOPLE_SEARCH_LIMIT
from collaboration.models import Project
from tests.factories import PlanMembershipFactory, ProjectFactory, UserFactory
from tests.pages import screen

pytestmark = pytest.mark.django_db

SEARCH = reverse("collaboration:people_search")
NEW = reverse("collaboration:project_new")


def search(browser, q, role="consultant", **more):
    return browser.get(SEARCH, {"q": q, "role": role, **more})


def options(response) -> list[dict[str, str]]:
    """The options of the answer's listbox: their ids, the person's id and label."""
    return [
        {"id": id_, "person": person, "label": label}
        for id_, person, label in re.findall(
            r'role="option" id="([^"]+)" aria-selected="false"\s+'
            r'data-person-id="(\d+)" data-email="[^"]+"\s+data-label="([^"]+)"',
            response.content.decode(),
        )
    ]


@pytest.fixture
def people(db):
    return {
        "consultant": UserFactory(display_name="Carla Consultant", email="carla@northwind.example"),
        "client": UserFactory(display_name="Chris Client", email="chris@acme.example"),
        "participant": PlanMembershipFactory(
            user__display_name="Carl Participant", user__email="carl@plans.example"
        ).user,
        "admin": UserFactory(
            display_name="Carlos Admin", email="carlos@cairn.example", is_staff=True
        ),
        "gone": UserFactory(
            display_name="Caroline Gone", email="caroline@gone.example", is_active=False
        ),
    }


def project_data(consultant, client, **more):
    return {
        "title": "Pricing study",
        "consultant": consultant,
        "client": client,
        "completion_date": "2026-09-30",
        "initial_payment_required": "on",
        **more,
    }


class TestSearch:
    def test_it_answers_with_the_matching_people_as_options_of_the_pickers_listbox(
        self, as_user, platform_admin, people
    ):
        response = search(as_user(platform_admin), "CAR")

        assert response.status_code == 200
        assert options(response) == [
            {
                "id": f"id_consultant-matches-{people['consultant'].pk}",
                "person": str(people["consultant"].pk),
                "label": "Carla Consultant (carla@northwind.example)",
            }
        ]
        html = response.content.decode()
        assert 'role="listbox" id="id_consultant-matches"' in html
        assert 'data-status="1 person matches: use the arrow keys to choose."' in html

    def test_each_picker_gets_its_own_listbox(self, as_user, platform_admin, people):
        response = search(as_user(platform_admin), "chris", role="client")
        assert [o["id"] for o in options(response)] == [f"id_client-matches-{people['client'].pk}"]

    def test_it_finds_by_address_too(self, as_user, platform_admin, people):
        response = search(as_user(platform_admin), "acme.example")
        assert [o["label"] for o in options(response)] == ["Chris Client (chris@acme.example)"]

    def test_participants_and_staff_only_with_the_checkbox_and_never_the_inactive(
        self, as_user, platform_admin, people
    ):
        browser = as_user(platform_admin)

        default = search(browser, "car")
        assert [o["label"] for o in options(default)] == [
            "Carla Consultant (carla@northwind.example)"
        ]

        everyone = search(browser, "car", everyone="1")
        assert [o["label"] for o in options(everyone)] == [
            "Carl Participant (carl@plans.example)",
            "Carla Consultant (carla@northwind.example)",
            "Carlos Admin (carlos@cairn.example)",
        ]
        assert "Platform admin" in screen(everyone).text

    def test_no_match_says_who_is_left_out_and_how_to_include_them(
        self, as_user, platform_admin, people
    ):
        browser = as_user(platform_admin)
        text = screen(search(browser, "carl@")).text
        assert "No one matches “carl@”." in text
        assert "tick “Include plan participants and staff” to search them too" in text
        assert "tick" not in screen(search(browser, "zzz", everyone="1")).text

    def test_it_never_lists_everyone(self, as_user, platform_admin, people):
        for n in range(PEOPLE_SEARCH_LIMIT + 5):
            UserFactory(display_name=f"Sam {n:02}")
        browser = as_user(platform_admin)

        response = search(browser, "sam")
        assert len(options(response)) == PEOPLE_SEARCH_LIMIT
        assert "More people match: type more of the name or address." in screen(response).text

        assert options(search(browser, "")) == []
        assert options(search(browser, "   ")) == []

    def test_junk_is_a_search_that_finds_nobody(self, as_user, platform_admin, people):
        browser = as_user(platform_admin)
        for junk in ["\x00", "a\x00b", "%", "_", "<script>", "x" * 5000]:
            response = search(browser, junk)
            assert response.status_code == 200
            assert options(response) == []
        assert "&lt;script&gt;" in search(browser, "<script>").content.decode()

    @pytest.mark.parametrize("role", [None, "", "admin", "id_consultant", "<b>"])
    def test_a_search_for_no_known_field_is_refused(self, as_user, platform_admin, role):
        params = {"q": "car"} if role is None else {"q": "car", "role": role}
        assert as_user(platform_admin).get(SEARCH, params).status_code == 400

    @pytest.mark.parametrize("who", ["consultant", "client", "participant"])
    def test_it_is_not_found_for_anyone_but_platform_admins(self, as_user, people, outsider, who):
        response = search(as_user(people[who]), "car", everyone="1")
        assert response.status_code == 404
        assert "carla@" not in response.content.decode()
        assert search(as_user(outsider), "car").status_code == 404

    def test_it_sends_strangers_to_sign_in(self, client, people):
        response = search(client, "car")
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    def test_it_costs_the_same_however_many_people_and_plans_there_are(
        self, as_user, platform_admin, django_assert_num_queries, django_assert_max_num_queries
    ):
        browser = as_user(platform_admin)

        def grow(n):
            for i in range(n):
                UserFactory(display_name=f"Ann {i}")
                PlanMembershipFactory(user__display_name=f"Ann participant {i}")

        grow(2)
        search(browser, "ann")
        # Each request: the session, the user and the search itself, whoever matches.
        with django_assert_max_num_queries(6) as few:
            search(browser, "ann")
            search(browser, "ann", everyone="1")
        grow(30)
        with django_assert_num_queries(len(few.captured_queries)):
            search(browser, "ann")
            search(browser, "ann", everyone="1")


class TestTheForm:
    def test_the_new_project_form_lists_nobody(self, as_user, platform_admin, people):
        response = as_user(platform_admin).get(NEW)
        html = response.content.decode()

        assert '<select name="consultant"' not in html and '<select name="client"' not in html
        for person in people.values():
            assert person.email not in html
        field = response.context["form"]["consultant"]
        assert f'<label for="{field.auto_id}"' in html
        assert 'name="consultant"' in html and 'name="client"' in html
        assert "The email address of their Cairn account." in screen(response).text
        assert reverse("collaboration:people_search") + "?role=client" in html

    def test_editing_shows_the_current_people_by_name_and_address(self, as_user, platform_admin):
        project = ProjectFactory(
            consultant__display_name="Carla Consultant",
            consultant__email="carla@northwind.example",
            client__display_name="",
            client__email="chris@acme.example",
        )
        response = as_user(platform_admin).get(
            reverse("collaboration:project_edit", args=[project.pk])
        )
        html = response.content.decode()
        text = screen(response).text

        assert "Chosen: Carla Consultant (carla@northwind.example)" in text
        assert "Chosen: chris@acme.example" in text
        assert 'value="carla@northwind.example"' in html
        assert f'data-person-id="{project.consultant.pk}"' in html
        assert 'value="chris@acme.example"' in html

    def test_with_javascript_it_posts_the_chosen_ids(self, as_user, platform_admin, people):
        response = as_user(platform_admin).post(
            NEW, project_data(people["consultant"].pk, people["client"].pk)
        )
        project = Project.objects.get()
        assert response.url == reverse("collaboration:project", args=[project.pk])
        assert (project.consultant, project.client) == (people["consultant"], people["client"])

    def test_without_javascript_it_takes_the_addresses_typed_in_any_case(
        self, as_user, platform_admin, people
    ):
        response = as_user(platform_admin).post(
            NEW, project_data("  Carla@Northwind.EXAMPLE ", "chris@acme.example")
        )
        assert response.status_code == 302
        project = Project.objects.get()
        assert (project.consultant, project.client) == (people["consultant"], people["client"])

    @pytest.mark.parametrize("shape", ["id", "email"])
    def test_participants_and_staff_may_be_chosen(self, as_user, platform_admin, people, shape):
        consultant, client = people["admin"], people["participant"]
        value = (lambda p: p.pk) if shape == "id" else (lambda p: p.email)
        response = as_user(platform_admin).post(NEW, project_data(value(consultant), value(client)))
        assert response.status_code == 302
        project = Project.objects.get()
        assert (project.consultant, project.client) == (consultant, client)

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("nobody@example.com", "No active account with this address."),
            ("caroline@gone.example", "No active account with this address."),
            ("Carla", "Type the person's full email address, or choose them from the matches."),
            ("a\x00b@example.com", "No active account with this address."),
            ("999999", "This account is unknown or can no longer sign in: choose someone else."),
            ("gone", None),
            ("9" * 40, "Type the person's full email address, or choose them from the matches."),
            ("-1", "Type the person's full email address, or choose them from the matches."),
            ("", "This field is required."),
        ],
    )
    def test_a_person_who_cannot_be_chosen_is_refused_with_the_reason_and_nothing_is_created(
        self, as_user, platform_admin, people, value, message
    ):
        if value == "gone":
            value = people["gone"].pk
            message = "This account is unknown or can no longer sign in: choose someone else."
        response = as_user(platform_admin).post(NEW, project_data(value, people["client"].pk))

        assert response.status_code == 200
        assert response.context["form"].errors == {"consultant": [message]}
        assert message in screen(response).text
        assert not Project.objects.exists()

    def test_a_refused_form_keeps_what_was_typed_and_who_was_chosen(
        self, as_user, platform_admin, people
    ):
        response = as_user(platform_admin).post(
            NEW, project_data("nobody@example.com", people["client"].pk)
        )
        html = response.content.decode()

        assert 'value="nobody@example.com"' in html
        assert 'aria-invalid="true"' in html
        assert 'aria-describedby="id_consultant_error id_consultant_chosen' in html
        assert "Chosen: Chris Client (chris@acme.example)" in screen(response).text
        assert 'value="chris@acme.example"' in html

    def test_editing_can_change_the_client_by_address(self, as_user, platform_admin, people):
        project = ProjectFactory(consultant=people["consultant"], client=people["client"])
        response = as_user(platform_admin).post(
            reverse("collaboration:project_edit", args=[project.pk]),
            project_data(
                people["consultant"].email,
                "carl@plans.example",
                title=project.title,
                completion_date=project.completion_date.isoformat(),
            ),
        )
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.client == people["participant"]

    def test_the_same_person_twice_is_refused_whichever_way_they_are_named(
        self, as_user, platform_admin, people
    ):
        response = as_user(platform_admin).post(
            NEW, project_data(people["consultant"].pk, "CARLA@northwind.example")
        )
        assert response.context["form"].errors == {
            "client": ["The client must be someone other than the consultant."]
        }
        assert not Project.objects.exists()
