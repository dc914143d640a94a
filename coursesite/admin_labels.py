"""Every admin input has an accessible name, not only those with a <label>.

The admin prints the inputs of inline rows and of list editing in table cells
under a column header, with no label of their own, and a date-and-time field as
two inputs after plain text: screen readers announce "edit text" and axe counts
a missing label. Each widget is given its field's name as ``aria-label`` (a
split date and time: "<name>: date", "<name>: time"). On a change form, where a
visible label exists, the name is the same words.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

PARTS = {0: _("date"), 1: _("time")}


def label_widget(formfield, label) -> None:
    """Give ``formfield``'s widget (or each part of a multi-part one) a name."""
    if formfield is None or not label:
        return
    widget = getattr(formfield.widget, "widget", formfield.widget)  # related wrapper
    label = capfirst(label)
    if isinstance(widget, forms.MultiWidget):
        for index, part in enumerate(widget.widgets):
            suffix = PARTS.get(index, str(index + 1))
            part.attrs.setdefault("aria-label", f"{label}: {suffix}")
        return
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return  # each option has its own label
    widget.attrs.setdefault("aria-label", str(label))


class LabelledFieldsMixin:
    """For ModelAdmins and inlines: every form field's widget carries a name,
    and an inline row's "delete" box says which row it deletes."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                delete = form.fields.get("DELETE")
                if delete is not None:
                    delete.widget.attrs["aria-label"] = (
                        _("Delete row %(number)s") % {"number": index + 1}
                        if index is not None
                        else _("Delete")
                    )

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        label = getattr(formfield, "label", None) or getattr(
            db_field, "verbose_name", ""
        )
        label_widget(formfield, label)
        return formfield
