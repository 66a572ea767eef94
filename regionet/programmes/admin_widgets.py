"""The form fields of the staff interface (Django's admin) where Django's own would fail the
officers: ``StaffFormFieldsMixin`` for every ModelAdmin and inline with a form.

* A date-and-time field is two inputs that no label names: the field's label points to
  neither (``MultiWidget.id_for_label`` is empty, on purpose) and the "Date:" and "Time:"
  beside them are plain text (axe: label). ``LabelledSplitDateTime`` gives each input a label
  of its own that also names the field ("Opens at: Date"). Its template lives in this app:
  Django's form renderer looks for widget templates in the apps.
* A choice of a related object offers to delete the chosen object in a popup whenever the
  user may delete *some* object of that kind; whether this one may be deleted (a published
  call may not) is known only on the popup, which then answers 403. Deleting is done on the
  object's own page; the choice offers to add, change and view only.
* A read-only foreign key is a link to the related object's admin page, whether or not the
  user may open it (funder staff may not open an organisation's or a user's):
  ``related_as_text`` shows it as plain text instead.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, RelatedFieldWidgetWrapper


class LabelledSplitDateTime(AdminSplitDateTime):
    """A date input and a time input, each with its own label naming the field."""

    template_name = "admin/widgets/labelled_split_datetime.html"

    def __init__(self, field_label="", attrs=None):
        super().__init__(attrs)
        self.field_label = field_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["field_label"] = self.field_label
        return context


class StaffFormFieldsMixin:
    """For a ModelAdmin or an inline: labelled date-time inputs, no delete icon on choices."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None:
            return formfield
        if type(formfield.widget) is AdminSplitDateTime:
            formfield.widget = LabelledSplitDateTime(
                field_label=formfield.label, attrs=formfield.widget.attrs
            )
        elif isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_delete_related = False
        return formfield


def related_as_text(model, field: str, text=str):
    """A ModelAdmin's display method that shows ``model``'s foreign key ``field`` as plain
    text (``text`` of the related object, ``str`` by default) under the field's own name;
    name it among the fields and the read-only fields in place of ``field``."""

    @admin.display(description=model._meta.get_field(field).verbose_name)
    def display(model_admin, obj):
        related = getattr(obj, field)
        # None is shown as the admin's empty value ("-").
        return text(related) if related is not None else None

    return display
