"""How apps built on milestones add to the milestone pages without milestones importing them.

Milestones sit below surveys (a survey belongs to a milestone), so a milestone page cannot ask
the surveys app directly what a milestone holds; it sends `milestone_contents` and lists what
the receivers answer.
"""

from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class Content:
    """Something another app keeps for a milestone, as the milestone pages list it:
    "2 surveys (one active, 14 responses)"."""

    singular: str
    plural: str
    count: int
    note: str = ""
    icon: str = "fa-solid fa-circle-info"

    @property
    def label(self) -> str:
        return f"{self.count} {self.singular if self.count == 1 else self.plural}"


#: Sent with `milestones` (a list of Milestone). Each receiver returns a dict
#: {milestone id: [Content, ...]} describing what its app keeps for those milestones, in a
#: fixed number of queries however many milestones there are. Deleting a milestone deletes
#: these too, so the deletion page lists them.
milestone_contents = Signal()
