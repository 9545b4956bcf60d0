"""Amounts of money as the reader writes them: `{{ amount|money:"EUR" }}` gives "€1,200.00"
in English and "1.200,00 €" in German."""

from decimal import Decimal

from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    if amount is None or amount == "":
        return ""
    return format_currency(amount, currency, locale=to_locale(get_language() or "en"))
