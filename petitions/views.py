from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt, xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries

from appeals.models import Appeal
from lib import cards, crypto, origin, posters
from lib.client import client_ip
from lib.http import post_only_else_redirect
from lib.pagecache import public_page, see_fresh
from lib.preview import draft_context, mark_draft, visible_to
from lib.ratelimit import over_limit
from lib.sharing import absolute, preview
from news.models import Update
from prisoners.models import Prisoner

from . import documents, handover, services, tasks, tokens
from .forms import STARTED_PLACEHOLDER, EmbedSignatureForm, ForgetForm, SignatureForm, fresh_started
from .models import Petition, Signature

SIGNERS_PER_PAGE = 50
LATEST_SIGNERS = 10
COUNT_CACHE_SECONDS = 60
SHEET_CACHE_SECONDS = 3600
EMBED_CACHE_SECONDS = 60


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
            "latest": list(Signature.objects.newest_listed(petition, LATEST_SIGNERS)),
            # A petition that names nobody counts its signers by town too (the smallest
            # towns together: one signer from a village is almost a name).
            "towns": handover.count_by_town(petition) if not petition.list_signers and total else [],
            "town_at_least": handover.TOWN_AT_LEAST,
            "retention_days": settings.UNCONFIRMED_RETENTION_DAYS,
            "preview": None if is_draft else _preview(petition, total),
            "embed_url": absolute(reverse("petitions:embed", args=[petition.slug])),
            "short_url": absolute(reverse("petition_short", args=[petition.pk])),
            "updates": Update.objects.published().filter(petition=petition).order_by("-sent_at"),
            **draft_context(petition, is_draft),
        },
        status=status,
    )
    return mark_draft(response) if is_draft else response


def _preview(petition, total):
    """What a link to the petition shows when pasted into a chat or a post."""
    return preview(
        title=petition.title,
        description=petition.summary or petition.addressed_to,
        path=petition.get_absolute_url(),
        image=f"{reverse('petitions:card', args=[petition.slug])}?v={_card_tag(petition, total)}",
    )


def _card_tag(petition, total):
    return cards.version(
        "petition", petition.pk, petition.updated_at.timestamp(), get_language(), cards.count_bucket(total)
    )


@require_safe
def card(request, slug):
    """The petition's link-preview image: its title, whom it goes to, the count."""
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    total = petition.confirmed_count()

    def draw():
        bucket = cards.count_bucket(total)
        n = intcomma(bucket) + ("+" if bucket < total else "")
        return cards.draw_card(
            title=petition.title,
            subtitle=_("To: %(addressee)s") % {"addressee": petition.addressed_to},
            highlight=ngettext("%(n)s signature", "%(n)s signatures", bucket) % {"n": n},
            progress=total / petition.goal if petition.goal else None,
            site_name=_("Kazakhstan Solidarity"),
            footer=cards.site_host(),
        )

    return cards.card_response(request, _card_tag(petition, total), draw)


@require_safe
def short_link(request, pk):
    """/p/<id>, the short address on posters and leaflets: the petition's page, in the
    language of the address (/ru/p/3 opens the Russian page). A redirect that is not
    kept for good, so that a renamed petition's old poster still finds it."""
    petition = get_object_or_404(Petition.objects.public(), pk=pk)
    return redirect(petition.get_absolute_url())


@xframe_options_sameorigin  # see lib/posters.poster_response
@require_safe
def poster(request, slug):
    """A poster for a picket or a notice board: the title big, a QR code to the short
    address, and the address in letters for those without a camera. ?size=a3 for A3."""
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    if not petition.takes_signatures:
        raise Http404("A closed petition has no poster asking people to sign it.")
    return posters.poster_response(
        request,
        petition.slug,
        f"petition:{petition.pk}:{petition.updated_at.timestamp()}",
        kicker=_("Sign the petition"),
        title=petition.title,
        text=_("To: %(addressee)s") % {"addressee": petition.addressed_to},
        url=absolute(reverse("petition_short", args=[petition.pk])),
        call=_("Scan the code or type the address to sign:"),
        site_name=_("Kazakhstan Solidarity"),
    )


@require_safe
@public_page(fill={STARTED_PLACEHOLDER: fresh_started})
def petition_detail(request, slug):
    petition = _get_petition(slug, visible_to(request, Petition.objects.all(), ~Q(status=Petition.Status.DRAFT)))
    form = SignatureForm(petition=petition)
    # Each visitor's own time goes in when the page is sent, kept or not (lib/pagecache.py).
    form.initial["started"] = STARTED_PLACEHOLDER
    return _detail(request, petition, form)


# What signing needs of a petition: whether it takes signatures, whether it lists signers,
# its id and its address. The rest of its row (every text in every language) is read only if a
# page has to be drawn again.
_SIGN_FIELDS = ("id", "slug", "status", "deadline", "list_signers")

RATE_LIMITED = _lazy(
    "Many signatures have come from your network in the last hour, so we are not taking more from it "
    "just now. Please try again in an hour, or sign from another connection. What you typed is kept below."
)


def _take_signature(request, petition, form, show, closed):
    """Signing, from the petition's page and from the embed: the hourly limit per network,
    the form checked, the signature taken. Returns None once it is taken (or a trap was
    sprung: the same answer, so software learns nothing); otherwise the page to send,
    `show(form, status)` with what was typed and its errors, or `closed()`."""
    if over_limit("sign", client_ip(request), settings.SIGN_RATE_LIMIT):
        form.is_valid()  # keeps what was typed, with the errors of any bad field
        form.add_error(None, RATE_LIMITED)
        return show(form, 429)
    if not form.is_valid():
        return show(form, 400)
    if not form.is_trap:
        try:
            services.sign(petition, form.cleaned_data)
        except services.PetitionClosed:
            return closed()
    return None


@never_cache
@post_only_else_redirect("petitions:detail")
def petition_sign(request, slug):
    # Only the columns signing needs: the petition is read whole, with its links to cases
    # and appeals, only if the form has to be shown again, keeping a good signature short.
    petition = get_object_or_404(Petition.objects.public().only(*_SIGN_FIELDS), slug=slug)
    if not petition.takes_signatures:
        # Before the form is read: whatever was typed, and whoever typed it, the answer is
        # that the petition is closed.
        return _closed(request, _whole(petition))
    form = SignatureForm(request.POST, petition=petition)
    refused = _take_signature(
        request,
        petition,
        form,
        show=lambda form, status: _detail(request, _whole(petition), form, status=status),
        closed=lambda: _closed(request, _whole(petition)),
    )
    if refused is not None:
        return refused
    # Whatever happened (a new signature, a second one from the same address, a bot), the
    # same page: a stranger learns nothing about whether an address has signed.
    response = see_fresh(redirect("petitions:check_email", slug=petition.slug))
    remember_address(response, response["Location"], form.cleaned_data["email"])
    return response


def _whole(petition):
    """The petition read whole, as every page shows it (its texts in the page's language)."""
    return get_object_or_404(Petition.objects.public(), pk=petition.pk)


# "Check your email" names the address the mail went to, for a slip to be seen at once. The
# address travels from the POST to that page in a cookie of its own: signed, for that one
# page's path only, gone after ten minutes and deleted by the page that reads it. So it is
# shown to the browser that typed it, once: never in an address (which is shared, logged
# and cached), and not to whoever opens the page after them. The page says no-store.
SENT_TO_COOKIE = "sent_to"
SENT_TO_SALT = "petitions.sent-to"
SENT_TO_SECONDS = 600


def remember_address(response, path, email):
    response.set_signed_cookie(
        SENT_TO_COOKIE,
        email,
        salt=SENT_TO_SALT,
        max_age=SENT_TO_SECONDS,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def sent_to(request):
    """The address remembered for this page by remember_address, or ""."""
    return request.get_signed_cookie(SENT_TO_COOKIE, default="", salt=SENT_TO_SALT, max_age=SENT_TO_SECONDS)


@never_cache
@require_safe
def check_email(request, slug):
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    address = sent_to(request)
    response = render(
        request,
        "petitions/check_email.html",
        {"petition": petition, "link_days": settings.CONFIRM_LINK_DAYS, "sent_to": address},
    )
    if SENT_TO_COOKIE in request.COOKIES:
        response.delete_cookie(SENT_TO_COOKIE, path=request.path, samesite="Lax")
    return response


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
        return see_fresh(redirect(reverse("petitions:detail", args=[petition.slug]) + "#count"))
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
        # The petition's page, opened next, shows the count without them.
        return see_fresh(render(request, "petitions/withdrawn.html", {"petition": petition}))
    return render(request, "petitions/withdraw.html", {"signature": signature, "petition": signature.petition})


@require_safe
def signers(request, slug):
    """Signers who agreed to be listed, newest first, page by page. Pages are marked by
    ids (?before=), not numbers, so page 1,000 costs what page 1 does."""
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        before = None
    page = list(Signature.objects.newest_listed(petition, SIGNERS_PER_PAGE + 1, before=before))
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
    key = f"petition-count:{slug}:{origin.site_url()}"
    data = cache.get(key)
    if data is None:
        petition = get_object_or_404(Petition.objects.public(), slug=slug)
        data = {
            "petition": petition.slug,
            "title": petition.title,
            "url": origin.absolute(petition.get_absolute_url()),
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
        data = documents.sheet_pdf(petition)
    else:
        key = f"petition-sheet:{petition.pk}:{petition.updated_at.timestamp()}:{get_language()}:{origin.site_url()}"
        data = cache.get(key)
        if data is None:
            data = documents.sheet_pdf(petition)
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
        services.stop_updates(signature)
        return render(request, "petitions/stop_updates.html", {"petition": signature.petition, "done": True})
    return render(request, "petitions/stop_updates.html", {"signature": signature, "petition": signature.petition})


# --- the petition on other sites -----------------------------------------------------------


def embed_content_security_policy():
    """The site's policy, except that any site may frame the embed (and only the embed:
    every other page keeps frame-ancestors 'none' and X-Frame-Options DENY), and that its
    form posts only here."""
    policy = {**settings.CONTENT_SECURITY_POLICY, "frame-ancestors": ["*"], "form-action": ["'self'"]}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def _embed(request, petition, form=None, status=200, page="petitions/embed.html", **extra):
    """The embedded petition: its title, the count and progress bar, and the compact form
    (or only a button to the full page). It sets no cookie: no CSRF token (see
    embed_sign), no session, no message, no language cookie; its links open our pages in
    a new tab, and it loads nothing but its own small stylesheet."""
    total = petition.confirmed_count()
    response = render(
        request,
        page,
        {
            "petition": petition,
            "form": form,
            "total": total,
            "percent": min(100, round(100 * total / petition.goal)) if petition.goal else None,
            "petition_url": origin.absolute(petition.get_absolute_url()),
            "retention_days": settings.UNCONFIRMED_RETENTION_DAYS,
            **extra,
        },
        status=status,
    )
    response["Content-Security-Policy"] = embed_content_security_policy()
    # A copy of the petition on other sites: the petition's own page is the one to find.
    response["X-Robots-Tag"] = "noindex"
    return response


@xframe_options_exempt
@require_safe
def embed(request, slug):
    """/petitions/<slug>/embed/, to put in an <iframe> on any site (docs/organisers.md, "Putting a
    petition on your site"). ?form=0 shows a button to the full page instead of the form."""
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    with_form = petition.takes_signatures and request.GET.get("form") != "0"
    response = _embed(request, petition, EmbedSignatureForm(petition=petition) if with_form else None)
    # The count is "live" to the minute, like count.json; shared caches may keep it that long.
    response["Cache-Control"] = f"public, max-age={EMBED_CACHE_SECONDS}"
    return response


# No CSRF token, deliberately. The form is shown inside other sites' pages, where browsers
# block the third-party cookie a CSRF token is checked against, so Django's protection
# would refuse every signature; and the embed must set no cookie the host site could
# follow. What CSRF protects against is a forged request riding on a visitor's cookies:
# this view reads none (no session, no login) and grants nothing a stranger could not get
# by posting the form themselves. A forged post can only start a signature, which counts
# only once its owner presses the button in the email sent to the address (a POST on our
# own page, under CSRF protection). Against software the embed has what the full page
# has: the signed `started` time (it must come back from a form we drew, not too fast and
# not a day late), the honeypot field, and the same hourly limit per network address.
@csrf_exempt
@xframe_options_exempt
@never_cache
@post_only_else_redirect("petitions:embed")
def embed_sign(request, slug):
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    if not petition.takes_signatures:
        return _embed(request, petition, status=410)
    refused = _take_signature(
        request,
        petition,
        EmbedSignatureForm(request.POST, petition=petition),
        show=lambda form, status: _embed(request, petition, form, status=status),
        closed=lambda: _embed(request, petition, status=410),
    )
    if refused is not None:
        return refused
    # The same answer whatever happened, as on the full page.
    return redirect("petitions:embed_check_email", slug=petition.slug)


@xframe_options_exempt
@require_safe
def embed_check_email(request, slug):
    petition = get_object_or_404(Petition.objects.public(), slug=slug)
    return _embed(request, petition, page="petitions/embed_check_email.html", link_days=settings.CONFIRM_LINK_DAYS)


# --- "forget me everywhere" ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def forget_request(request):
    """Asks for an address and mails it a link. The answer is the same page, after the same
    work (one task queued for the worker), whether or not anything is kept under the
    address: nobody learns from it whether an address has signed anything."""
    if request.method != "POST":
        return render(request, "petitions/forget.html", {"form": ForgetForm()})
    form = ForgetForm(request.POST)
    if over_limit("forget", client_ip(request), settings.FORGET_RATE_LIMIT):
        form.is_valid()
        form.add_error(
            None,
            _("Many requests have come from your network in the last hour. Please try again in an hour."),
        )
        return render(request, "petitions/forget.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "petitions/forget.html", {"form": form}, status=400)
    if not form.is_trap:
        services._schedule(tasks.send_forget_link, crypto.encrypt(form.cleaned_data["email"]), get_language() or "")
    return redirect("petitions:forget_sent")


def forget_sent(request):
    return render(request, "petitions/forget_sent.html", {"link_days": settings.CONFIRM_LINK_DAYS})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def forget_confirm(request, token):
    """The mailed link: GET shows a button (mail scanners open links), its POST deletes."""
    try:
        address = tokens.address_from_forget_token(token)
    except tokens.ExpiredToken:
        return render(request, "petitions/link_problem.html", {"problem": "expired"}, status=410)
    except tokens.BadToken:
        return render(request, "petitions/link_problem.html", {"problem": "bad"}, status=400)
    if request.method == "POST":
        deleted = services.forget_everywhere(address)
        return render(
            request,
            "petitions/forget_done.html",
            {"deleted": [text for n, text in deleted if n], "nothing": not any(n for n, _text in deleted)},
        )
    return render(request, "petitions/forget_confirm.html", {})
