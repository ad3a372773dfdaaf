"""Template filters for Thai presentation; the functions live in competency_portal/lib/thai.py."""

from django import template

from competency_portal.lib.thai import be_date, be_year, thai_digits

register = template.Library()

register.filter("thai_digits", thai_digits)
register.filter("be_date", be_date)
register.filter("be_year", be_year)
