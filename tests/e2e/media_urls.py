"""The site's URLs plus its media, served whatever DEBUG says: the browser tests
run with DEBUG off, where ``coursesite.urls`` leaves media to the proxy."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from coursesite.urls import urlpatterns as site_urlpatterns


def _media(request, path):
    # MEDIA_ROOT is read per request: each test points it at its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT / "courses")


urlpatterns = [*site_urlpatterns, re_path(r"^media/courses/(?P<path>.*)$", _media)]
