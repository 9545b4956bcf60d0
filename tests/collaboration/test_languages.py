"""Each person reads a project in their own language: its pages in theirs, the chat's lines
written out for whoever reads them, and its emails in the recipient's, whoever caused them.

The German catalog is built from all of Cairn at once, so these tests check what needs no
catalog: dates and amounts, which Django and Babel already write in German.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from collaboration import services
from tests.pages import screen

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 5, 11)  # a Monday


@pytest.fixture(autouse=True)
def _language_reset():
    # A German person's request leaves German active in the test's thread.
    yield
    translation.deactivate()


@pytest.fixture
def german_client(project):
    project.client.language = "de"
    project.client.save(update_fields=["language"])
    return project.client


def page_url(project):
    return reverse("collaboration:project", args=[project.pk])


def add(project, actor, **values):
    return services.project_milestone_create(
        project=project,
        actor=actor,
        **{"due_date": DUE, "title": "Data cleaning", "description": "Clean the data.", **values},
    )


def edit(milestone, actor, **values):
    return services.project_milestone_update(
        milestone=milestone,
        actor=actor,
        **{
            "due_date": milestone.due_date,
            "title": milestone.title,
            "description": milestone.description,
            "amount": milestone.amount,
            **values,
        },
    )


class TestChatLines:
    def test_a_line_is_kept_in_english_and_shown_in_each_readers_language(
        self, as_user, project, consultant, german_client
    ):
        # The consultant works in German; the line is kept in English all the same.
        with translation.override("de"):
            add(project, consultant)
        line = project.messages.get()
        assert line.body == (
            "Carla Consultant added the milestone “Data cleaning”, due Mon 11 May 2026."
        )

        english = screen(as_user(consultant).get(page_url(project))).text
        assert "Carla Consultant added the milestone “Data cleaning”, due Mon 11 May 2026." in (
            english
        )
        german = as_user(german_client).get(page_url(project))
        assert german.status_code == 200
        assert "Mo, 11. Mai 2026" in screen(german).text
        assert "Mon 11 May 2026" not in screen(german).text

    def test_an_edit_lists_its_dates_and_amounts_as_each_reader_writes_them(
        self, project, consultant
    ):
        milestone = add(project, consultant, amount=Decimal("500"))
        edit(
            milestone, consultant, due_date=DUE + datetime.timedelta(days=2), amount=Decimal("650")
        )
        line = project.messages.last()

        assert (
            line.text
            == line.body
            == (
                "Carla Consultant edited the milestone “Data cleaning”: "
                "due date Mon 11 May 2026 → Wed 13 May 2026, amount €500.00 → €650.00."
            )
        )
        with translation.override("de"):
            german = line.text
        assert "Mo, 11. Mai 2026 → Mi, 13. Mai 2026" in german
        assert "500,00\xa0€ → 650,00\xa0€" in german

    def test_a_line_written_before_its_facts_were_kept_shows_as_it_was_written(
        self, project, consultant
    ):
        line = project.messages.create(
            kind="system", author=consultant, event="completed", body="Ann marked “Data” done."
        )
        with translation.override("de"):
            assert line.text == "Ann marked “Data” done."


class TestEmails:
    def test_an_email_is_written_in_the_recipients_language_not_the_senders(
        self, project, consultant, settle
    ):
        milestone = add(project, consultant)
        settle()
        with translation.override("de"):
            edit(milestone, consultant, due_date=DUE + datetime.timedelta(days=2))
            settle()

        email = mail.outbox[-1]
        assert "Due date\n  was: Mon 11 May 2026\n  now: Wed 13 May 2026" in email.body
        assert "Due Wednesday 13 May 2026" in email.body

    def test_a_german_client_gets_german_dates(self, project, consultant, german_client, settle):
        milestone = add(project, consultant)
        settle()
        edit(milestone, consultant, due_date=DUE + datetime.timedelta(days=2))
        settle()

        added, edited = mail.outbox
        assert "11. Mai 2026)" in added.subject
        assert "Montag, 11. Mai 2026" in added.body
        assert "Mo, 11. Mai 2026" in edited.body and "Mi, 13. Mai 2026" in edited.body
        assert "Mittwoch, 13. Mai 2026" in edited.body
        assert "May" not in edited.body


class TestPages:
    def test_the_project_pages_render_for_a_german_client_with_german_dates(
        self, as_user, project, consultant, german_client
    ):
        project.completion_date = datetime.date(2026, 6, 30)
        project.save(update_fields=["completion_date"])
        add(project, consultant)
        browser = as_user(german_client)

        listed = screen(browser.get(reverse("collaboration:projects"))).text
        assert "11. Mai 2026" in listed and "30. Jun 2026" in listed
        home = screen(browser.get("/")).text
        assert "30. Jun 2026" in home
        assert "May" not in listed + home
