"""How the application names a person: their full name, or else their username."""

from django import forms


def person_name(user) -> str:
    """The full name, or the username when no name is recorded; nothing for no person."""
    if not user:
        return ""
    return name_or_username(user.first_name, user.last_name, user.username)


def name_or_username(first_name: str, last_name: str, username: str) -> str:
    """person_name from a user's columns, for lists that read values rather than users."""
    return f"{first_name} {last_name}".strip() or username


class PersonChoiceField(forms.ModelChoiceField):
    """A choice among users, each shown by person_name."""

    def label_from_instance(self, user) -> str:
        return person_name(user)
