"""Public pages of appeals: the list, an appeal with its letter form, the letters a supporter
gets back (to send, copy, print or download), "I've sent it", and the embassy directory."""

import dataclasses
import functools
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe
from django_countries import countries

from lib import cards, posters
from lib.client import client_ip
from lib.countries import country_choices
from lib.http import post_only_else_redirect
from lib.pagecache import drawn_once, fill, kept, public_page, slot
from lib.preview import draft_context, mark_draft, visible_to
from lib.ratelimit import over_limit
from lib.sharing import absolute, preview
from news.models import Update
from prisoners.models import Prisoner

from .forms import DirectoryReportForm, EditedLetterForm, LetterOutcomeForm, SenderForm, SentForm
from .letters import MAILTO_LIMIT, WINDOWS_MAILTO_LIMIT, as_pdf, as_text
from .models import Appeal, DirectoryReport, LetterOutcome, Recipient, Target
from .services import (
    AppealClosed,
    build_letters,
    directory_targets,
    letter_from_token,
    outcome_token,
    published_replies,
    record_directory_report,
    record_letter_sent,
    record_outcome,
)

# "I've sent it" presses counted from one network address in an hour; more are thanked
# but not counted, so a script cannot inflate an appeal's count.
LETTERS_COUNTED_PER_HOUR = 20
# Reports on the directory, and on what came of a letter, from one network address in an
# hour: more than a person has to tell, fewer than would bury the organisers' queue.
REPORTS_PER_HOUR = 10
UPCOMING_EVENTS = 5


@public_page()
def appeal_list(request):
    appeals = list(Appeal.objects.public().with_counts())
    return render(
        request,
        "appeals/appeal_list.html",
        {
            "active": [a for a in appeals if a.status == Appeal.Status.ACTIVE],
            "closed": [a for a in appeals if a.status == Appeal.Status.CLOSED],
        },
    )


def _get_appeal(slug, appeals=None):
    return get_object_or_404(
        (appeals if appeals is not None else Appeal.objects.public())
        .with_counts()
        .prefetch_related(
            "demands",
            "letters",
            Prefetch(
                "recipients", queryset=Recipient.objects.select_related("target").prefetch_related("target__sources")
            ),
            Prefetch("prisoners", queryset=Prisoner.objects.published()),
        ),
        slug=slug,
    )


def _kept_appeal(slug):
    """The public appeal, as _get_appeal reads it, kept a few seconds (lib/pagecache.py): the
    letter page is a POST, never kept whole, and reading the appeal was a third of its cost.
    An organiser's change shows within PAGE_SECONDS. Per language, as its texts are."""
    return kept(f"appeal:{slug}:{get_language()}", lambda: _get_appeal(slug))


def _languages(appeal):
    # As get_language_display() names them, without translating every language's name to
    # look up each one (most of the cost of a letter form's languages).
    names = dict(settings.LANGUAGES)
    return [(text.language, str(names.get(text.language, text.language))) for text in appeal.letters.all()]


def _sender_form(request, appeal, data=None):
    languages = _languages(appeal)
    initial = {"language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in dict(languages) else "en"}
    return SenderForm(data, languages=languages, initial=initial)


def _closed(request, appeal):
    """Someone posted to an appeal that no longer takes letters (an old tab, a bot)."""
    return render(request, "appeals/appeal_closed.html", {"appeal": appeal}, status=410)


def _detail(request, appeal, form, status=200):
    is_draft = appeal.status == Appeal.Status.DRAFT
    # Read only when the appeal's parts are not in the fragment cache (the template's
    # {% cache %} blocks, keyed on the appeal's updated_at, which appeals/signals.py moves
    # whenever a demand, a recipient, an address or a prisoner of the appeal changes).
    recipients = appeal.recipients.select_related("target")
    response = render(
        request,
        "appeals/appeal_detail.html",
        {
            "appeal": appeal,
            "form": form,
            "demands": appeal.demands.all(),
            "prisoners": appeal.prisoners.published(),
            "to": recipients.filter(role=Recipient.Role.TO).prefetch_related("target__sources"),
            "cc": recipients.filter(role=Recipient.Role.CC),
            # An address's sources are "old" after ten years: a new year, new fragments.
            "today": timezone.localdate(),
            "preview": None if is_draft else _preview(appeal),
            "replies": [] if is_draft else published_replies(appeal),
            "short_url": absolute(reverse("appeal_short", args=[appeal.pk])),
            "updates": Update.objects.published().filter(appeal=appeal).order_by("-sent_at"),
            "upcoming_events": list(appeal.events.upcoming()[:UPCOMING_EVENTS]),
            **draft_context(appeal, is_draft),
        },
        status=status,
    )
    return mark_draft(response) if is_draft else response


@require_safe
@public_page()
def appeal_detail(request, slug):
    # Organisers preview drafts here; the POST paths below stay public-only.
    appeals = visible_to(request, Appeal.objects.all(), ~Q(status=Appeal.Status.DRAFT))
    # The letters give the form its languages; the rest is read by the template if need be.
    appeal = get_object_or_404(appeals.with_counts().prefetch_related("letters"), slug=slug)
    return _detail(request, appeal, _sender_form(request, appeal))


def _letters_from_post(request, appeal):
    """The sender's letters, with the one the supporter edited (if any) as edited.
    Returns (form, letter_set, edited_index); letter_set is None when the input is bad,
    and the form then carries the errors."""
    form = _sender_form(request, appeal, request.POST)
    if not form.is_valid():
        return form, None, None
    letter_set = build_letters(appeal, form.cleaned_data)
    if "body" not in request.POST:
        return form, letter_set, None
    edit = EditedLetterForm(request.POST)
    if not edit.is_valid():
        form.add_error(None, _("Your edited letter needs a subject and some text (at most 20,000 characters)."))
        return form, None, None
    index = edit.cleaned_data.get("recipient") or 0
    if not 0 <= index < len(letter_set.letters):
        form.add_error(None, _("That recipient is not on this appeal."))
        return form, None, None
    letter = letter_set.letters[index]
    letter.subject = " ".join(edit.cleaned_data["subject"].split())
    letter.body = edit.cleaned_data["body"].replace("\r\n", "\n").strip("\n")
    return form, letter_set, index


@never_cache
@post_only_else_redirect("appeals:detail")
def appeal_letter(request, slug):
    appeal = _kept_appeal(slug)
    if appeal.status != Appeal.Status.ACTIVE:
        return _closed(request, appeal)
    form, letter_set, edited = _letters_from_post(request, appeal)
    if letter_set is None:
        return _detail(request, appeal, form, status=400)
    return HttpResponse(_letter_page(request, appeal, form, letter_set, edited))


def _letter_page(request, appeal, form, letter_set, edited):
    """The letters page. Drawing it cost more than the rest of the request several times over,
    so it is drawn once every few seconds for all senders whose letters have the same shape
    (the appeal as it is now, the languages, the recipients, which letter was edited, which
    are too long for a link), with slots where the sender's details go; those are put in per
    request, escaped, and never kept (lib/pagecache.py).

    Why not a plain form and template with {% cache %} around each recipient: tried and
    measured side by side on 4 December 2026 (bench/surge.py --only letter, bench/README.md),
    that page answered 154 letters a second against these slots' 1,628 (11 ms of CPU a
    letter against 1.1 ms): reading the appeal through the ORM each time and drawing the
    whole template cost nine tenths of the page's throughput."""
    letters = letter_set.letters
    links = [letter.mailto for letter in letters]
    too_long = [len(link) > MAILTO_LIMIT for link in links]
    may_not_open = [len(link) > WINDOWS_MAILTO_LIMIT for link in links]
    values = {
        **{f"field-{field.name}": field.value() or "" for field in form},
        "country": letter_set.country_name,
        "sent-country": _sent_country_list(get_language(), form.cleaned_data.get("country", "")),
        "country-code": form.cleaned_data.get("country", ""),
    }
    for i, letter in enumerate(letters):
        values[f"subject-{i}"] = letter.subject
        values[f"body-{i}"] = letter.body
        values[f"mailto-{i}"] = letter.mailto_without_body if too_long[i] else links[i]
        values[f"mailto-short-{i}"] = letter.mailto_without_body

    def draw():
        # The letters as the kept page has them: their recipients, and slots for the rest. The
        # button's link is one slot: the whole letter or, too long, addresses and subject only;
        # copy-then-open's link (addresses and subject) is another.
        blanks = [
            SimpleNamespace(
                target=letter.target,
                to=letter.to,
                cc=letter.cc,
                subject=slot(f"subject-{i}"),
                body=slot(f"body-{i}"),
                mailto=slot(f"mailto-{i}"),
                mailto_without_body=slot(f"mailto-short-{i}"),
                mailto_is_too_long=too_long[i],
                mailto_may_not_open=may_not_open[i],
                mailto_limit=MAILTO_LIMIT,
                windows_mailto_limit=WINDOWS_MAILTO_LIMIT,
            )
            for i, letter in enumerate(letters)
        ]
        context = {
            "appeal": appeal,
            "form": [SimpleNamespace(html_name=field.html_name, value=slot(f"field-{field.name}")) for field in form],
            "letter_set": dataclasses.replace(
                letter_set, letters=blanks, country_name=slot("country") if letter_set.country_name else ""
            ),
            "country_code": slot("country-code"),
            "edited": edited,
            "sent_form": SentForm(),
            "sent_country": slot("sent-country"),
            "mailto_limit": MAILTO_LIMIT,
        }
        return render_to_string("appeals/letter.html", context, request)

    shape = (
        [letter.target.pk if letter.target else None for letter in letters],
        too_long,
        may_not_open,
        edited,
        letter_set.embassy_asked,
        letter_set.embassy_missing,
        letter_set.stand_in,
        letter_set.stand_in_already,
        bool(letter_set.country_name),
    )
    key = f"letter:{appeal.pk}:{appeal.updated_at.isoformat()}:{get_language()}:{letter_set.language}:{shape}"
    return fill(drawn_once(request, key, draw), request, values)


@functools.lru_cache(maxsize=1024)
def _sent_country_list(language, code):
    """The "I've sent it" form's country list with the sender's country chosen. There are
    some 250 of them per language, and drawing them costs more than the rest of the page:
    each is drawn once per language and country."""
    return str(SentForm(initial={"country": code})["country"])


@never_cache
@post_only_else_redirect("appeals:detail")
def letter_download(request, slug, fmt):
    appeal = _kept_appeal(slug)
    if appeal.status != Appeal.Status.ACTIVE:
        return _closed(request, appeal)
    form, letter_set, edited = _letters_from_post(request, appeal)
    if letter_set is None or not letter_set.letters:
        return _detail(request, appeal, form, status=400)
    letter = letter_set.letters[edited or 0]
    if fmt == "txt":
        response = HttpResponse(as_text(letter), content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(as_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{appeal.slug}-letter.{fmt}"'
    return response


@post_only_else_redirect("appeals:detail")
def letter_sent(request, slug):
    appeal = _get_appeal(slug)
    if appeal.status != Appeal.Status.ACTIVE:
        return _closed(request, appeal)
    form = SentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("We could not count that letter: please choose how you sent it, and a country from the list.")
        )
        return _detail(request, appeal, _sender_form(request, appeal), status=400)
    if over_limit("letter-sent", client_ip(request), LETTERS_COUNTED_PER_HOUR):
        # Someone pressing the button over and over, or a script inflating the count.
        messages.warning(
            request,
            _("Thank you. We have counted many letters from your network in the last hour, so this one was not added."),
        )
        return _detail(request, appeal, _sender_form(request, appeal), status=429)
    try:
        letter = record_letter_sent(appeal, form.cleaned_data["channel"], form.cleaned_data["country"])
    except AppealClosed:  # closed since the page was read
        return _closed(request, appeal)
    messages.success(request, _("Thank you. Your letter is counted (we keep no details about you)."))
    return redirect("appeals:outcome", slug=appeal.slug, token=outcome_token(letter))


@never_cache
def letter_outcome(request, slug, token):
    """The private page a supporter comes back to, through the link they were given after
    "I've sent it", to tell us what came of that letter. The link is all it needs."""
    appeal = get_object_or_404(Appeal.objects.public(), slug=slug)
    letter = letter_from_token(token, appeal)
    if letter is None:
        return render(request, "appeals/outcome_unknown.html", {"appeal": appeal}, status=404)
    targets = list(letter.targets.all())
    status = 200
    if request.method == "POST":
        form = LetterOutcomeForm(request.POST, request.FILES, targets=targets)
        if form.is_valid():
            if form.is_trap:
                messages.success(request, _("Thank you for telling us."))  # software is thanked, not counted
                return redirect(request.path)
            if over_limit("letter-outcome", client_ip(request), REPORTS_PER_HOUR):
                messages.warning(
                    request, _("We have had many reports from your network in the last hour: please try again later.")
                )
                return redirect(request.path)
            data = form.cleaned_data
            target = next((t for t in targets if t.pk == data.get("target")), None)
            record_outcome(letter, data["kind"], target, data.get("text", ""), data.get("file"))
            if data["kind"] == LetterOutcome.Kind.REPLY:
                messages.success(
                    request, _("Thank you. An organiser reads the reply before anything of it is published.")
                )
            else:
                messages.success(request, _("Thank you for telling us."))
            return redirect(request.path)
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = LetterOutcomeForm(targets=targets)
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    response = render(
        request,
        "appeals/outcome.html",
        {
            "appeal": appeal,
            "letter": letter,
            "form": form,
            "link": absolute(request.path),
            "told": list(letter.outcomes.select_related("target").defer("file_data").order_by("-id")),
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def directory_report(request):
    """A supporter tells the organisers an entry is wrong, or that an embassy is missing."""
    targets = sorted(directory_targets(), key=lambda t: (str(t.country.name), t.name))
    status = 200
    if request.method == "POST":
        form = DirectoryReportForm(request.POST, targets=targets)
        if form.is_valid():
            if not form.is_trap:
                if over_limit("directory-report", client_ip(request), REPORTS_PER_HOUR):
                    messages.warning(
                        request,
                        _("We have had many reports from your network in the last hour: please try again later."),
                    )
                    return redirect("appeals:report")
                record_directory_report(form.cleaned_data)
            messages.success(
                request,
                _("Thank you. An organiser checks the source you give before anything in the directory changes."),
            )
            return redirect("appeals:embassies")
        status = 400
    elif request.method in ("GET", "HEAD"):
        initial = {"kind": DirectoryReport.Kind.WRONG}
        pk = request.GET.get("target", "")
        if pk.isdigit() and any(t.pk == int(pk) for t in targets):
            initial["target"] = int(pk)
        code = (request.GET.get("country") or "").upper()
        if request.GET.get("kind") == DirectoryReport.Kind.MISSING or (code and "target" not in initial):
            initial["kind"] = DirectoryReport.Kind.MISSING
        if code and countries.name(code):
            initial["country"] = code
        form = DirectoryReportForm(initial=initial, targets=targets)
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(request, "appeals/report.html", {"form": form}, status=status)


@require_safe
def embassy_list(request):
    code = (request.GET.get("country") or "").upper()
    if code and not countries.name(code):
        code = ""
    embassies = directory_targets().prefetch_related("sources")
    if code:
        embassies = embassies.filter(country=code)
    embassies = list(embassies)
    # By country in the reader's language; the embassy before consulates.
    embassies.sort(key=lambda e: (str(e.country.name), e.kind != Target.Kind.EMBASSY, e.name))
    return render(
        request,
        "appeals/embassy_list.html",
        {
            "embassies": embassies,
            "country": code,
            "country_name": countries.name(code) if code else "",
            "country_choices": country_choices()[1:],
        },
    )


# --- spreading the word --------------------------------------------------------------------


def _card_tag(appeal):
    return cards.version("appeal", appeal.pk, appeal.updated_at.timestamp(), get_language())


def _preview(appeal):
    """What a link to the appeal shows when pasted into a chat or a post."""
    return preview(
        title=appeal.title,
        description=appeal.summary,
        path=appeal.get_absolute_url(),
        image=f"{reverse('appeals:card', args=[appeal.slug])}?v={_card_tag(appeal)}",
    )


@require_safe
def card(request, slug):
    """The appeal's link-preview image."""
    appeal = get_object_or_404(Appeal.objects.public(), slug=slug)

    def draw():
        return cards.draw_card(
            title=appeal.title,
            subtitle=appeal.summary,
            highlight=_("This appeal is closed.") if appeal.is_closed else _("Write a protest letter"),
            site_name=_("Kazakhstan Solidarity"),
            footer=cards.site_host(),
        )

    return cards.card_response(request, _card_tag(appeal), draw)


@require_safe
def short_link(request, pk):
    """/a/<id>, the short address on posters: the appeal's page in the address's language.
    Not a permanent redirect, so that a renamed appeal's old posters still find it."""
    appeal = get_object_or_404(Appeal.objects.public(), pk=pk)
    return redirect(appeal.get_absolute_url())


@xframe_options_sameorigin  # see lib/posters.poster_response
@require_safe
def poster(request, slug):
    """A poster for a picket: the title big, a QR code to the short address and the address
    in letters. ?size=a3 for A3."""
    appeal = get_object_or_404(Appeal.objects.public(), slug=slug)
    if appeal.is_closed:
        raise Http404("A closed appeal has no poster asking people to write.")
    return posters.poster_response(
        request,
        appeal.slug,
        f"appeal:{appeal.pk}:{appeal.updated_at.timestamp()}",
        kicker=_("Write a protest letter"),
        title=appeal.title,
        text=appeal.summary,
        url=absolute(reverse("appeal_short", args=[appeal.pk])),
        call=_("Scan the code or type the address to write a letter:"),
        site_name=_("Kazakhstan Solidarity"),
    )
