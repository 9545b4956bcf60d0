from milestones.notices.services import invites_for_newcomer


def invite_new_participant(sender, *, membership, **kwargs) -> None:
    invites_for_newcomer(membership=membership)
