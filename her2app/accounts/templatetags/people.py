"""`{{ user|person_name }}`: how pages name a person (her2app/accounts/people.py)."""

from django import template

from her2app.accounts import people

register = template.Library()
register.filter("person_name", people.person_name)
