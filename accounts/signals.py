"""How apps built on accounts shape the account pickers, without accounts importing them."""

from django.dispatch import Signal

#: Sent by `accounts.selectors.people_search` (no arguments). Each receiver returns a
#: QuerySet of account ids (`.values("user_id")`) that a people search leaves out unless asked
#: for everyone: the people an app keeps for its own audience, such as plan participants.
#: Left lazy, each becomes a subquery of the search, which stays one query however many apps
#: answer.
people_kept_out_of_searches = Signal()
