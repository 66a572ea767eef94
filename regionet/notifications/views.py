"""The signed-in user's notice pages: the latest notices sent to them, and their preferences."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from . import queries, services
from .forms import PreferencesForm


class NoticeListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notice_list.html"
    context_object_name = "notices"

    def get_queryset(self):
        return queries.notices_of(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            time_zone=settings.TIME_ZONE, list_length=queries.LIST_LENGTH, **kwargs
        )


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enabled": queries.enabled_kinds(self.request.user)}

    def form_valid(self, form):
        services.set_preferences(self.request.user, form.enabled_codes())
        messages.success(self.request, _("Your notice preferences have been saved."))
        return redirect("notifications:preferences")
