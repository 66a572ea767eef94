"""The instant the server received a request, read before anything else runs.

Deadlines are decided by when the server received a submission (DESIGN §4): the submit door
is given this instant, so time spent in the other middleware (sessions, sign-in checks) or
waiting for the application's row lock never makes an in-time submission late.
"""

from django.utils.timezone import now as server_now


class ReceivedAtMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.received_at = server_now()
        return self.get_response(request)
