from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BipConfig(AppConfig):
    name = "bip"
    verbose_name = _("Business Improvement Plans")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from accounts.services import set_password_url
        from accounts.signals import people_kept_out_of_searches
        from bip.receivers import plan_participants, plans_looked_after
        from bip.selectors import member_import_report
        from bip.services import MEMBER_IMPORT, member_import_outcome, member_import_run
        from jobs.kinds import JobKind
        from jobs.kinds import kind_register as job_kind_register
        from jobs.signals import scopes_looked_after
        from notifications.kinds import Kind, SecretLink, kind_register

        kind_register(
            Kind(
                code="plan_invitation",
                label=_("Invitation to a plan"),
                description=_(
                    "The link to choose your password when you are added to a plan before you "
                    "have an account."
                ),
                group=_("Business Improvement Plans"),
                unsubscribable=False,
                secret_links=(SecretLink(name="set_password_url", build=set_password_url),),
            ),
            Kind(
                code="plan_membership_added",
                label=_("Added to a plan"),
                description=_("When a project admin adds you to a Business Improvement Plan."),
                group=_("Business Improvement Plans"),
            ),
        )
        # Participants are here to take part in their plans: the pickers that choose people
        # for other work offer them only when asked for everyone.
        people_kept_out_of_searches.connect(plan_participants, dispatch_uid="bip-participants")

        job_kind_register(
            JobKind(
                code=MEMBER_IMPORT,
                title=gettext_lazy("Member import into %(subject)s"),
                working=gettext_lazy("Adding members…"),
                run=member_import_run,
                outcome=member_import_outcome,
                result_template="bip/_member_import_report.html",
                report=lambda job: member_import_report(job.report),
            ),
        )
        scopes_looked_after.connect(plans_looked_after, dispatch_uid="bip-plans-looked-after")
