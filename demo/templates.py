from bip.models import Plan
from programmes.models import PlanTemplate
from programmes.services import template_save

TEMPLATE_NAME = "Operations Excellence programme"


def load_templates(plans: list[Plan], people) -> list[PlanTemplate]:
    """The demo plan saved as a template by its project admin, once: a second load finds it
    by name and leaves it (and any rename in between is a new template, as a person's
    would be)."""
    pam = people["pam@cairn.example"]
    template = PlanTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if template is None:
        template = template_save(
            plan=plans[0], name=TEMPLATE_NAME, with_trainers=True, created_by=pam
        )
    return [template]
