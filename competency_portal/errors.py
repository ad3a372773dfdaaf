"""The pages for a refused request (400) and for a database that does not answer (503), in the
portal's language.

Django's own handler renders 400.html without the request, so the layout could not show who
is signed in; this one passes it. The commonest cause is a request bigger than
DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig), e.g. an oversized upload.

A database that is down, refuses, never answers (PORTAL_DB_CONNECT_TIMEOUT) or cancels a
statement that ran too long (PORTAL_DB_STATEMENT_TIMEOUT) is a passing fault, not a bug: the
person gets 503 and a Thai page asking to try again shortly, instead of the general 500 page.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views import defaults

# Seconds a browser or a client is asked to wait before trying again.
RETRY_AFTER_DATABASE = 30


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def server_error(request):
    """Django's 500 page, or the 503 page when the exception being handled is the database's.

    The 503 page stands alone (no layout, no request context): the layout reads who is signed
    in from the database, which is what failed. It is Thai, as the 500 page is, whatever
    language this thread served last."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        with translation.override(settings.LANGUAGE_CODE):
            page = loader.render_to_string("503.html")
        return HttpResponse(page, status=503, headers={"Retry-After": str(RETRY_AFTER_DATABASE)})
    return defaults.server_error(request)
