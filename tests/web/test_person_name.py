"""`|person_name`: a person's full name, else their username, the text `get_full_name|default:username` gave."""

from django.contrib.auth.models import User
from django.template import Context, Template

from her2app.accounts.people import person_name


def test_full_name_when_recorded_else_username_else_nothing():
    assert person_name(User(username="gh", first_name="Grace", last_name="Hopper")) == "Grace Hopper"
    assert person_name(User(username="gh")) == "gh"
    assert person_name(None) == ""


def test_a_name_is_escaped_in_a_page():
    page = Template("{% load people %}{{ person|person_name }}")
    assert page.render(Context({"person": User(username="<b>x</b>")})) == "&lt;b&gt;x&lt;/b&gt;"
