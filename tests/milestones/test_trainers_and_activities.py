import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from milestones.models import Activity, Trainer
from tests.downloads import downloaded
from tests.factories import (
    ActivityFactory,
    PlanFactory,
    PlanMembershipFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="notes.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.mark.parametrize("junk", ["abc", "²", "99999999999999999999"])
def test_junk_in_the_milestone_to_return_to_saves_the_trainer_once_and_lists_trainers(
    project_admin_client, plan, junk
):
    response = project_admin_client.post(
        reverse("milestones:trainer_create", args=[plan.pk]) + f"?milestone={junk}",
        {"name": "Theo Trainer", "email": "", "milestone": junk},
    )
    assert response["Location"] == reverse("milestones:trainers", args=[plan.pk])
    assert list(Trainer.objects.values_list("name", flat=True)) == ["Theo Trainer"]


def test_a_trainer_created_from_a_milestone_is_then_selected_onto_it(
    project_admin_client, plan, milestone
):
    account = UserFactory(email="theo@example.com")
    response = project_admin_client.post(
        reverse("milestones:trainer_create", args=[plan.pk]) + f"?milestone={milestone.pk}",
        {
            "name": "Theo Trainer",
            "email": "Theo@Example.com",
            "phone": "+44 20 1234",
            "organisation": "Lean Path",
            "bio": "Fifteen years of lean.",
            "milestone": milestone.pk,
        },
    )
    assert response["Location"] == reverse(
        "milestones:milestone_trainers", args=[plan.pk, milestone.pk]
    )
    trainer = Trainer.objects.get()
    assert trainer.plan == plan and trainer.user == account

    tab = project_admin_client.get(response["Location"])
    assert "Theo Trainer" in tab.text and "No trainer is selected" in tab.text
    project_admin_client.post(response["Location"], {"trainers": [trainer.pk]})
    tab = project_admin_client.get(response["Location"])
    assert [row.trainer.pk for row in tab.context["selected"]] == [trainer.pk]
    assert "Lean Path" in tab.text


def test_removing_a_trainer_from_a_milestone_keeps_the_trainer(
    project_admin_client, plan, milestone
):
    trainer = TrainerFactory(plan=plan)
    milestone.trainers.add(trainer)
    response = project_admin_client.post(
        reverse("milestones:milestone_trainer_remove", args=[plan.pk, milestone.pk, trainer.pk]),
        follow=True,
    )
    assert "and stays in the plan" in response.text
    assert not milestone.trainers.exists()
    assert Trainer.objects.filter(pk=trainer.pk).exists()


def test_another_plans_trainer_cannot_be_selected(project_admin_client, plan, milestone):
    stranger = TrainerFactory(plan=PlanFactory())
    response = project_admin_client.post(
        reverse("milestones:milestone_trainers", args=[plan.pk, milestone.pk]),
        {"trainers": [stranger.pk]},
    )
    assert "is not one of the available choices" in response.context["form"].errors["trainers"][0]
    assert not milestone.trainers.exists()


def test_a_trainer_needs_a_name_and_a_valid_email(project_admin_client, plan):
    response = project_admin_client.post(
        reverse("milestones:trainer_create", args=[plan.pk]), {"name": "", "email": "nope"}
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["This field is required."]
    assert errors["email"] == ["Enter a valid email address."]
    assert not Trainer.objects.exists()


def test_editing_and_deleting_a_trainer(project_admin_client, plan, milestone):
    trainer = TrainerFactory(plan=plan, name="Old Name")
    milestone.trainers.add(trainer)
    project_admin_client.post(
        reverse("milestones:trainer_edit", args=[plan.pk, trainer.pk]),
        {"name": "New Name", "email": trainer.email},
    )
    trainer.refresh_from_db()
    assert trainer.name == "New Name"
    page = project_admin_client.get(
        reverse("milestones:trainer_delete", args=[plan.pk, trainer.pk])
    )
    assert milestone.name in page.text
    project_admin_client.post(reverse("milestones:trainer_delete", args=[plan.pk, trainer.pk]))
    assert not Trainer.objects.exists()


def test_a_file_pre_session_activity_is_uploaded_and_downloaded_by_members(
    project_admin_client, client, plan, milestone, participant
):
    response = project_admin_client.post(
        reverse("milestones:activity_create", args=[plan.pk, milestone.pk, "pre"]),
        {"title": "How the assessment works", "upload_type": "file", "file": pdf("guide.pdf")},
        follow=True,
    )
    assert "“How the assessment works” is saved." in response.text
    activity = Activity.objects.get()
    assert (activity.phase, activity.upload_type, activity.url) == ("pre", "file", "")
    assert "guide.pdf" in response.text

    client.force_login(participant)
    content, disposition = downloaded(
        client, reverse("milestones:activity_download", args=[plan.pk, activity.pk])
    )
    assert content == PDF
    assert "guide.pdf" in disposition

    client.force_login(UserFactory())
    assert (
        client.get(reverse("milestones:activity_download", args=[plan.pk, activity.pk])).status_code
        == 404
    )


def test_a_link_activity(project_admin_client, plan, milestone):
    project_admin_client.post(
        reverse("milestones:activity_create", args=[plan.pk, milestone.pk, "pre"]),
        {"title": "Lean Thinking", "upload_type": "link", "url": "https://lean.example.com/intro"},
    )
    activity = Activity.objects.get()
    assert (activity.upload_type, activity.url, activity.file.name) == (
        "link",
        "https://lean.example.com/intro",
        "",
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"upload_type": "file"}, "file", "Choose a file to upload."),
        ({"upload_type": "link", "url": ""}, "url", "Paste the link."),
        ({"upload_type": "link", "url": "javascript:alert(1)"}, "url", "Enter a full http"),
        (
            {"upload_type": "file", "file": "exe"},
            "file",
            "is not a type of file that can be uploaded",
        ),
        ({"upload_type": "file", "file": "fake"}, "file", "are not a PDF file"),
    ],
)
def test_a_bad_activity_is_refused_next_to_the_field(
    project_admin_client, plan, milestone, data, field, message
):
    files = {
        "exe": SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
        "fake": SimpleUploadedFile("notes.pdf", b"just text", "application/pdf"),
    }
    if "file" in data:
        data = {**data, "file": files[data["file"]]}
    response = project_admin_client.post(
        reverse("milestones:activity_create", args=[plan.pk, milestone.pk, "post"]),
        {"title": "Machine Learning Notes", **data},
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert 'value="Machine Learning Notes"' in response.text
    assert not Activity.objects.exists()


def test_a_post_session_activity_is_edited_and_deleted(
    project_admin_client, plan, milestone, django_capture_on_commit_callbacks
):
    project_admin_client.post(
        reverse("milestones:activity_create", args=[plan.pk, milestone.pk, "post"]),
        {"title": "Machine Learning Notes", "upload_type": "file", "file": pdf("ml.pdf")},
    )
    activity = Activity.objects.get()
    old_file = activity.file.name
    assert default_storage.exists(old_file)
    edit = reverse("milestones:activity_edit", args=[plan.pk, milestone.pk, activity.pk])

    # A new title keeps the file.
    project_admin_client.post(edit, {"title": "ML Notes", "upload_type": "file"})
    activity.refresh_from_db()
    assert (activity.title, activity.file.name) == ("ML Notes", old_file)

    # Switching to a link drops the file, from storage too.
    with django_capture_on_commit_callbacks(execute=True):
        project_admin_client.post(
            edit, {"title": "ML Notes", "upload_type": "link", "url": "https://ml.example.com"}
        )
    activity.refresh_from_db()
    assert (activity.upload_type, activity.file.name) == ("link", "")
    assert not default_storage.exists(old_file)

    # And back to a new file.
    project_admin_client.post(
        edit, {"title": "ML Notes", "upload_type": "file", "file": pdf("ml-v2.pdf")}
    )
    activity.refresh_from_db()
    assert activity.url == "" and activity.filename.startswith("ml-v2")

    page = project_admin_client.get(
        reverse("milestones:activity_delete", args=[plan.pk, milestone.pk, activity.pk])
    )
    assert "its file is deleted" in page.text
    stored = activity.file.name
    with django_capture_on_commit_callbacks(execute=True):
        project_admin_client.post(
            reverse("milestones:activity_delete", args=[plan.pk, milestone.pk, activity.pk])
        )
    assert not Activity.objects.exists()
    assert not default_storage.exists(stored)


def test_activities_are_listed_by_phase(project_admin_client, plan, milestone):
    ActivityFactory(milestone=milestone, phase="pre", title="Before")
    ActivityFactory(milestone=milestone, phase="post", title="After")
    pre = project_admin_client.get(
        reverse("milestones:activities", args=[plan.pk, milestone.pk, "pre"])
    )
    assert "Before" in pre.text and "After" not in pre.text
    assert (
        project_admin_client.get(
            reverse("milestones:activities", args=[plan.pk, milestone.pk, "during"])
        ).status_code
        == 404
    )


def test_another_milestones_activity_is_not_reachable(project_admin_client, plan, milestone):
    from tests.factories import MilestoneFactory

    other = ActivityFactory(milestone=MilestoneFactory(plan=plan))
    url = reverse("milestones:activity_edit", args=[plan.pk, milestone.pk, other.pk])
    assert project_admin_client.get(url).status_code == 404


def test_a_selected_trainer_shows_how_many_milestones_they_run(
    project_admin_client, plan, milestone
):
    from tests.factories import MilestoneFactory

    trainer = TrainerFactory(plan=plan)
    for other in (milestone, MilestoneFactory(plan=plan), MilestoneFactory(plan=plan)):
        other.trainers.add(trainer)
    tab = project_admin_client.get(
        reverse("milestones:milestone_trainers", args=[plan.pk, milestone.pk])
    )
    assert "Runs 3 milestones of this plan." in tab.text


def test_an_activitys_edit_form_names_its_file_and_links_the_checked_download(
    project_admin_client, plan, milestone
):
    project_admin_client.post(
        reverse("milestones:activity_create", args=[plan.pk, milestone.pk, "pre"]),
        {"title": "Guide", "upload_type": "file", "file": pdf("assessment-guide.pdf")},
    )
    activity = Activity.objects.get()
    page = project_admin_client.get(
        reverse("milestones:activity_edit", args=[plan.pk, milestone.pk, activity.pk])
    )
    download = reverse("milestones:activity_download", args=[plan.pk, activity.pk])
    assertInHTML(
        f'<span class="text-break flex-grow-1" data-testid="current-file">'
        f'<a href="{download}">{activity.filename}</a></span>',
        page.text,
    )
    assert activity.filename.startswith("assessment-guide")
    # Not the storage path, nor the storage URL (nothing serves private files there).
    assert activity.file.name not in page.text and activity.file.url not in page.text
    assert downloaded(project_admin_client, download)[0] == PDF


def test_a_private_file_input_outside_crispy_names_the_file_not_its_path():
    from files.widgets import PrivateFileInput
    from tests.factories import pdf_file

    stored = ActivityFactory.build(file=pdf_file()).file
    stored.name = "activities/2027/03/handout.pdf"
    html = PrivateFileInput(download_url="/plans/1/activities/2/download/").render("file", stored)
    assertInHTML('<a href="/plans/1/activities/2/download/">handout.pdf</a>', html)
    assert "activities/2027" not in html
    assert "/media/" not in html


def test_activities_are_reordered_within_their_phase_and_participants_see_that_order(
    project_admin_client, plan, milestone
):
    from milestones.selectors import participant_activities

    first, second, third = (
        ActivityFactory(milestone=milestone, phase="pre", title=title)
        for title in ("First", "Second", "Third")
    )
    after = ActivityFactory(milestone=milestone, phase="post", title="After")
    assert [a.order for a in (first, second, third, after)] == [0, 0, 0, 0]  # as a copy leaves

    def move(activity, **data):
        return project_admin_client.post(
            reverse("milestones:activity_move", args=[plan.pk, milestone.pk, activity.pk]), data
        )

    def listed():
        page = project_admin_client.get(
            reverse("milestones:activities", args=[plan.pk, milestone.pk, "pre"])
        )
        return [a.title for a in page.context["activities"]]

    response = move(third, direction="up")
    assert response["Location"].endswith(f"/activities/pre/#activity-{third.pk}")
    assert listed() == ["First", "Third", "Second"]
    move(second, position="1")
    assert listed() == ["Second", "First", "Third"]
    move(second, direction="up")  # already first
    assert listed() == ["Second", "First", "Third"]
    assert move(second, direction="left").status_code == 404

    # The other phase keeps its own order, and participants see the new one.
    after.refresh_from_db()
    assert after.order == 0
    participant = PlanMembershipFactory(plan=plan, role="participant").user
    assert [item.activity.title for item in participant_activities(milestone, participant).pre] == [
        "Second",
        "First",
        "Third",
    ]

    # A new activity goes last.
    project_admin_client.post(
        reverse("milestones:activity_create", args=[plan.pk, milestone.pk, "pre"]),
        {"title": "Fourth", "upload_type": "link", "url": "https://example.com/4"},
    )
    assert listed() == ["Second", "First", "Third", "Fourth"]


def test_another_milestones_activity_cannot_be_moved_from_here(
    project_admin_client, plan, milestone
):
    from tests.factories import MilestoneFactory

    elsewhere = ActivityFactory(milestone=MilestoneFactory(plan=plan))
    response = project_admin_client.post(
        reverse("milestones:activity_move", args=[plan.pk, milestone.pk, elsewhere.pk]),
        {"direction": "up"},
    )
    assert response.status_code == 404
