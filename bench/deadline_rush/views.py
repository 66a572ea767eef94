"""The benchmark's views: the one-insert baseline and a stand-in for the submit page.

Both sit behind the same middleware as every page (session, CSRF, authentication), so the
difference between them and the real submit view is the work of submitting.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from regionet.applications import services
from regionet.applications.models import Application

from .models import Ping


@require_POST
@login_required
def ping(request):
    """The baseline: insert one row and answer with a redirect, as a form post does."""
    Ping.objects.create(user=request.user)
    return redirect("bench_pinged")


def pinged(request):
    return HttpResponse("ok")


@require_POST
@login_required
def submit(request, pk):
    """The submit door without the page around it (``--target service``): a redirect to the
    receipt when received, 409 with the refusal's code otherwise."""
    application = get_object_or_404(Application, pk=pk)
    try:
        submission = services.submit_application(application, by=request.user)
    except services.ApplicationError as error:
        return HttpResponse(error.code, status=409, content_type="text/plain")
    return redirect("applications:receipt", pk=application.pk, number=submission.number)
