"""The page for a refused request (400), in the portal's layout and language.

Django's own handler renders 400.html without the request, so the layout could not show who
is signed in; this one passes it. The commonest cause is a request bigger than
DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig), e.g. an oversized upload.
"""

from django.shortcuts import render


def bad_request(request, exception):
    return render(request, "400.html", status=400)
