import pytest

from accounts.selectors import PEOPLE_SEARCH_LIMIT, people_search
from bip.models import PlanMembership
from tests.factories import PlanMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(matches):
    return [str(person) for person in matches.people]


class TestPeopleSearch:
    def test_it_finds_people_by_any_part_of_their_name_or_address_in_any_case(self):
        UserFactory(display_name="Carla Consultant", email="carla@northwind.example")
        UserFactory(display_name="Chris Client", email="chris@acme.example")
        UserFactory(display_name="Dana Other", email="dana@acme.example")

        assert names(people_search("CARL")) == ["Carla Consultant"]
        assert names(people_search("acme.EX")) == ["Chris Client", "Dana Other"]
        assert names(people_search("ris cli")) == ["Chris Client"]
        assert names(people_search("nobody")) == []

    def test_accounts_that_cannot_sign_in_are_never_found(self):
        UserFactory(display_name="Carla Consultant", is_active=False)
        assert names(people_search("carla")) == []
        assert names(people_search("carla", everyone=True)) == []

    def test_plan_participants_and_platform_admins_are_found_only_when_asked_for_everyone(self):
        UserFactory(display_name="Carla Consultant")
        PlanMembershipFactory(user__display_name="Carl Participant")
        UserFactory(display_name="Carlos Admin", is_staff=True)
        # Running a plan is no reason to be left out: only taking part in one is.
        PlanMembershipFactory(
            role=PlanMembership.Role.PROJECT_ADMIN, user__display_name="Carly Plan-Admin"
        )

        assert names(people_search("carl")) == ["Carla Consultant", "Carly Plan-Admin"]
        assert names(people_search("carl", everyone=True)) == [
            "Carl Participant",
            "Carla Consultant",
            "Carlos Admin",
            "Carly Plan-Admin",
        ]

    def test_a_participant_of_any_plan_is_left_out_even_if_they_run_another(self):
        person = UserFactory(display_name="Pat Both")
        PlanMembershipFactory(user=person, role=PlanMembership.Role.PROJECT_ADMIN)
        PlanMembershipFactory(user=person, role=PlanMembership.Role.PARTICIPANT)
        assert names(people_search("pat")) == []

    def test_it_lists_a_handful_and_says_when_there_are_more(self):
        for n in range(PEOPLE_SEARCH_LIMIT + 1):
            UserFactory(display_name=f"Sam {n:02}")

        matches = people_search("sam")
        assert len(matches.people) == PEOPLE_SEARCH_LIMIT and matches.more
        assert names(matches)[0] == "Sam 00"

        exact = people_search("sam 1")
        assert len(exact.people) == 10 and not exact.more

    def test_an_empty_search_finds_nobody_without_asking_the_database(
        self, django_assert_num_queries
    ):
        UserFactory()
        with django_assert_num_queries(0):
            assert people_search("").people == []

    def test_it_costs_one_query_however_many_people_plans_and_participants_there_are(
        self, django_assert_num_queries
    ):
        def grow(n):
            for i in range(n):
                UserFactory(display_name=f"Ann {i}")
                PlanMembershipFactory(user__display_name=f"Ann participant {i}")
                UserFactory(display_name=f"Ann admin {i}", is_staff=True, second_factor=False)

        grow(2)
        with django_assert_num_queries(1):
            few = people_search("ann")
        grow(25)
        with django_assert_num_queries(1):
            many = people_search("ann")
        with django_assert_num_queries(1):
            people_search("ann", everyone=True)
        assert len(few.people) == 2 and many.more
