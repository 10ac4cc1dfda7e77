"""HTTP helpers for views."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect


def post_only_else_redirect(url_name, keys=("slug",)):
    """For the address a form posts to (…/letter/, …/sign/): a POST goes to the view; a GET or
    HEAD (a reload, a bookmark, a link someone shared) is sent to the page the form is on,
    named by `url_name` with the URL's `keys`, instead of a blank "405 Method Not Allowed"."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(url_name, **{key: kwargs[key] for key in keys})
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
