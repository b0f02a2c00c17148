from django import template

from her2app.plans.start_days import start_day_warning

register = template.Library()
register.filter("start_day_warning", start_day_warning)
