"""Project-wide response headers that no app owns."""

from django.utils.cache import add_never_cache_headers


class PrivatePagesAreNotStoredMiddleware:
    """Nothing shown to a signed-in user is kept by browsers or shared caches.

    Every page a signed-in user sees names them (the header shows their address) and most
    show personal or confidential data: drafts, budgets, attachments, receipts. Such
    responses get `Cache-Control: no-store` (and Django's other never-cache headers) unless
    the view already decided its caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
