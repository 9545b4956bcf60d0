"""How apps built on plans react to who joins them, without bip importing them."""

from django.dispatch import Signal

#: Sent inside the joining transaction with `membership` (a PlanMembership), so what the
#: receivers record commits or rolls back with it. The milestones app sends a new
#: participant the invites of the plan's sessions ahead.
member_joined = Signal()
