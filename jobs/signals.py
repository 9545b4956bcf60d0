"""How the apps that start jobs say who else may see them, without jobs importing them."""

from django.dispatch import Signal

#: Sent by `jobs.selectors.jobs_visible_to` with `user`. Each receiver returns a QuerySet of
#: the scopes (`Job.scope`, such as "plan:12") that the person looks after, as a single
#: `.values(...)` column: the jobs of those scopes are theirs to see as well as the jobs they
#: started. Left lazy, each becomes a subquery, so the lookup stays one query.
scopes_looked_after = Signal()
