"""Plan pages live in apps below this one; they reach a plan's cohorts through this tag."""

from django import template

from programmes.selectors import cohort_template_for

register = template.Library()


@register.simple_tag(takes_context=True)
def cohort_template(context, plan):
    """The template whose runs the plan can be compared with, for the person reading."""
    return cohort_template_for(context["request"].user, plan)
