"""Public pages for petitions on paper and the hand-over: the printable sheet, and the link
in the news of a delivery that stops further email."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from lib.preview import mark_draft, visible_to

from . import handover, paper
from .models import Petition
from .views import token_page

SHEET_CACHE_SECONDS = 3600


# Chrome shows a PDF inside a page of its own making, with inline styles and an <embed>,
# all subject to the PDF response's own Content-Security-Policy and framing rules: the
# site's policy (object-src 'none', frame DENY) would leave a "blocked" box instead of the
# sheet. The PDF is made here and holds no script; framing by other sites stays refused.
PDF_CONTENT_SECURITY_POLICY = "frame-ancestors 'self'"


@xframe_options_sameorigin
@require_GET
def paper_sheet(request, slug):
    """The A4 sheet to print and collect signatures on. Made once per version of the
    petition and language, then served from the cache: a PDF costs a few hundred
    milliseconds, and the address is public."""
    petition = get_object_or_404(
        visible_to(request, Petition.objects.all(), ~Q(status=Petition.Status.DRAFT)), slug=slug
    )
    is_draft = petition.status == Petition.Status.DRAFT
    if not is_draft and not petition.takes_signatures:
        return render(request, "petitions/petition_closed.html", {"petition": petition}, status=410)
    if is_draft:
        data = paper.sheet_pdf(petition)
    else:
        key = f"petition-sheet:{petition.pk}:{petition.updated_at.timestamp()}:{get_language()}:{settings.SITE_URL}"
        data = cache.get(key)
        if data is None:
            data = paper.sheet_pdf(petition)
            cache.set(key, data, SHEET_CACHE_SECONDS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{petition.slug}-sheet.pdf"'
    response["Content-Security-Policy"] = PDF_CONTENT_SECURITY_POLICY
    if is_draft:
        return mark_draft(response)
    response["Cache-Control"] = "public, max-age=600"
    return response


# Mail programs offer "unsubscribe" by POSTing to the link themselves (RFC 8058), with no
# form and so no CSRF token: the signed token in the address is what proves the right.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_updates(request, token):
    """GET shows a button, so that mail scanners opening links change nothing."""
    signature, problem = token_page(request, token, "stop_updates")
    if problem:
        if problem.status_code == 404:  # the signature was withdrawn: no email will come
            return render(request, "petitions/stop_updates.html", {"done": True})
        return problem
    if request.method == "POST":
        handover.stop_updates(signature)
        return render(request, "petitions/stop_updates.html", {"petition": signature.petition, "done": True})
    return render(request, "petitions/stop_updates.html", {"signature": signature, "petition": signature.petition})
