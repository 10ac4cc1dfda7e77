from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from appeals.models import Appeal
from lib.client import client_ip
from lib.pagecache import public_page
from lib.preview import draft_context, mark_draft, visible_to
from lib.ratelimit import over_limit
from prisoners.models import Prisoner

from . import handover, paper, services, tokens
from .forms import STARTED_PLACEHOLDER, SignatureForm, fresh_started
from .models import Petition, Signature

SIGNERS_PER_PAGE = 50
LATEST_SIGNERS = 10
COUNT_CACHE_SECONDS = 60
SHEET_CACHE_SECONDS = 3600


@public_page()
def petition_list(request):
    petitions = list(Petition.objects.public().with_totals().order_by("-created_at"))
    return render(
        request,
        "petitions/petition_list.html",
        {
            "open": [p for p in petitions if p.takes_signatures],
            "finished": [p for p in petitions if not p.takes_signatures],
        },
    )


def _get_petition(slug, petitions=None):
    petitions = petitions if petitions is not None else Petition.objects.public()
    return get_object_or_404(
        petitions.prefetch_related(
            Prefetch("prisoners", queryset=Prisoner.objects.published()),
            Prefetch("appeals", queryset=Appeal.objects.public()),
        ),
        slug=slug,
    )


def _closed(request, petition):
    return render(request, "petitions/petition_closed.html", {"petition": petition}, status=410)


def _detail(request, petition, form, status=200):
    by_country = petition.count_by_country()
    total = sum(by_country.values())
    countries_ranked = sorted(
        ((countries.name(code) if code else _("Country not given"), n) for code, n in by_country.items()),
        key=lambda row: (-row[1], str(row[0])),
    )
    is_draft = petition.status == Petition.Status.DRAFT
    response = render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            "form": form,
            "total": total,
            "percent": min(100, round(100 * total / petition.goal)) if petition.goal else None,
            "by_country": countries_ranked,
            "latest": list(Signature.objects.listed(petition).order_by("-id")[:LATEST_SIGNERS]),
            "retention_days": settings.UNCONFIRMED_RETENTION_DAYS,
            **draft_context(petition, is_draft),
        },
        status=status,
    )
    return mark_draft(response) if is_draft else response


@require_safe
@public_page(fill={STARTED_PLACEHOLDER: fresh_started})
def petition_detail(request, slug):
    petition = _get_petition(slug, visible_to(request, Petition.objects.all(), ~Q(status=Petition.Status.DRAFT)))
    form = SignatureForm(petition=petition)
    # Each visitor's own time goes in when the page is sent, kept or not (lib/pagecache.py).
    form.initial["started"] = STARTED_PLACEHOLDER
    return _detail(request, petition, form)


@never_cache
@require_POST
def petition_sign(request, slug):
    # The petition alone: its links to cases and appeals are read only if the form has to
    # be shown again, keeping the path of a good signature short.
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    if not petition.takes_signatures:
        # Before the form is read: whatever was typed, and whoever typed it, the answer is
        # that the petition is closed.
        return _closed(request, petition)
    form = SignatureForm(request.POST, petition=petition)
    if over_limit("sign", client_ip(request), settings.SIGN_RATE_LIMIT):
        form.is_valid()  # keeps what was typed, with the errors of any bad field
        form.add_error(
            None,
            _(
                "Many signatures have come from your network in the last hour, so we are not taking more from it "
                "just now. Please try again in an hour, or sign from another connection. What you typed is kept below."
            ),
        )
        return _detail(request, petition, form, status=429)
    if not form.is_valid():
        return _detail(request, petition, form, status=400)
    if not form.is_trap:
        try:
            services.sign(petition, form.cleaned_data)
        except services.PetitionClosed:
            return _closed(request, petition)
    # Whatever happened (a new signature, a second one from the same address, a bot), the
    # same page: a stranger learns nothing about whether an address has signed.
    return redirect("petitions:check_email", slug=petition.slug)


def check_email(request, slug):
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    return render(
        request, "petitions/check_email.html", {"petition": petition, "link_days": settings.CONFIRM_LINK_DAYS}
    )


def token_page(request, token, purpose, max_age=None):
    """The signature behind a mailed link, or the response explaining why there is none."""
    try:
        signature = tokens.signature_from_token(token, purpose, max_age=max_age)
    except tokens.ExpiredToken:
        return None, render(request, "petitions/link_problem.html", {"problem": "expired"}, status=410)
    except tokens.BadToken:
        return None, render(request, "petitions/link_problem.html", {"problem": "bad"}, status=400)
    if signature is None:
        return None, render(request, "petitions/link_problem.html", {"problem": "gone"}, status=404)
    return signature, None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button; only its POST confirms, so mail scanners that open links can
    neither confirm a signature nor use up the link."""
    signature, problem = token_page(request, token, "confirm", max_age=tokens.confirm_link_max_age())
    if problem:
        return problem
    petition = signature.petition
    if request.method == "POST" and signature.status == Signature.Status.PENDING:
        try:
            services.confirm(signature)
        except services.PetitionClosed:
            return _closed(request, petition)
        messages.success(request, _("Thank you: your signature is confirmed and counted."))
        return redirect(reverse("petitions:detail", args=[petition.slug]) + "#count")
    if signature.status == Signature.Status.PENDING and not petition.takes_signatures:
        # Closed since they signed: say so before they press anything.
        return _closed(request, petition)
    if signature.status == Signature.Status.CONFIRMED:
        if request.method == "POST":
            messages.info(request, _("Your signature was already confirmed. It is counted once."))
            return redirect(reverse("petitions:detail", args=[petition.slug]) + "#count")
        return render(request, "petitions/confirm.html", {"signature": signature, "petition": petition, "done": True})
    if signature.status == Signature.Status.REJECTED:
        return render(request, "petitions/link_problem.html", {"problem": "gone"}, status=404)
    return render(request, "petitions/confirm.html", {"signature": signature, "petition": petition})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token):
    signature, problem = token_page(request, token, "withdraw")
    if problem:
        if problem.status_code == 404:
            return render(request, "petitions/withdrawn.html", {}, status=200)
        return problem
    if request.method == "POST":
        petition = signature.petition
        services.delete_signatures([signature])
        return render(request, "petitions/withdrawn.html", {"petition": petition})
    return render(request, "petitions/withdraw.html", {"signature": signature, "petition": signature.petition})


@require_safe
def signers(request, slug):
    """Signers who agreed to be listed, newest first, page by page. Pages are marked by
    ids (?before=), not numbers, so page 1,000 costs what page 1 does."""
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    rows = Signature.objects.listed(petition).order_by("-id")
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        before = None
    if before:
        rows = rows.filter(id__lt=before)
    page = list(rows[: SIGNERS_PER_PAGE + 1])
    more = len(page) > SIGNERS_PER_PAGE
    page = page[:SIGNERS_PER_PAGE]
    return render(
        request,
        "petitions/signers.html",
        {
            "petition": petition,
            "signers": page,
            "older_url": f"?before={page[-1].id}" if more else "",
            "is_first_page": not before,
        },
    )


@require_safe
def count_json(request, slug):
    """The count for other sites to show: open to any origin, cached for a minute."""
    key = f"petition-count:{slug}"
    data = cache.get(key)
    if data is None:
        petition = get_object_or_404(Petition.objects.public(), slug=slug)
        data = {
            "petition": petition.slug,
            "title": petition.title,
            "url": f"{settings.SITE_URL}{petition.get_absolute_url()}",
            "status": petition.status,
            "signatures": petition.confirmed_count(),
            "goal": petition.goal,
            "deadline": petition.deadline.isoformat() if petition.deadline else None,
        }
        cache.set(key, data, COUNT_CACHE_SECONDS)
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={COUNT_CACHE_SECONDS}"
    return response


# --- paper, and the news of the hand-over --------------------------------------------------

# Chrome shows a PDF inside a page of its own making, with inline styles and an <embed>,
# all subject to the PDF response's own Content-Security-Policy and framing rules: the
# site's policy (object-src 'none', frame DENY) would leave a "blocked" box instead of the
# sheet. The PDF is made here and holds no script; framing by other sites stays refused.
PDF_CONTENT_SECURITY_POLICY = "frame-ancestors 'self'"


@xframe_options_sameorigin
@require_safe
def paper_sheet(request, slug):
    """The A4 sheet to print and collect signatures on. Made once per version of the
    petition and language, then served from the cache: a PDF costs a few hundred
    milliseconds, and the address is public."""
    petition = get_object_or_404(
        visible_to(request, Petition.objects.all(), ~Q(status=Petition.Status.DRAFT)), slug=slug
    )
    is_draft = petition.status == Petition.Status.DRAFT
    if not is_draft and not petition.takes_signatures:
        return _closed(request, petition)
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
