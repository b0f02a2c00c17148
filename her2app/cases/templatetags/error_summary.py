"""`{% error_summary form other_form %}`: the one error summary every form shows when it fails."""

from django import template

from her2app.cases.wizard import form_errors

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_lists) -> dict:
    """One summary for the forms given (a list of forms counts as its forms)."""
    forms = [form for item in forms_or_lists for form in (item if isinstance(item, list | tuple) else [item])]
    bound = [form for form in forms if form is not None and form.is_bound]
    return {"errors": [error for form in bound for error in form_errors(form)]}
