from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from appeals.models import Appeal
from events.models import Event
from lib import cards
from lib.pagecache import public_page
from lib.preview import draft_context, mark_draft, visible_to
from lib.sharing import preview
from news.forms import AlertForm
from news.models import Update
from petitions.forms import STARTED_PLACEHOLDER, fresh_started
from petitions.models import Petition

from .models import HELD_NOW, Prisoner

# Filters on the list page: the organiser's status values grouped the way supporters
# think of them.
UPCOMING_EVENTS = 5

STATUS_FILTERS = {
    "held": (_("Held at the latest report"), HELD_NOW),
    "released": (_("Released"), Q(status__in=(Prisoner.Status.RELEASED, Prisoner.Status.PAROLED))),
    "deceased": (_("Died"), Q(status=Prisoner.Status.DECEASED)),
}


@public_page()
def prisoner_list(request):
    prisoners = Prisoner.objects.published().urgent_first().select_related("place_of_detention")
    current = request.GET.get("status", "")
    if current in STATUS_FILTERS:
        prisoners = prisoners.filter(STATUS_FILTERS[current][1])
    else:
        current = ""
    filters = [("", _("All"))] + [(key, label) for key, (label, _statuses) in STATUS_FILTERS.items()]
    return render(
        request,
        "prisoners/prisoner_list.html",
        {"prisoners": prisoners, "filters": filters, "current": current},
    )


@public_page(fill={STARTED_PLACEHOLDER: fresh_started})
def prisoner_detail(request, slug):
    # Organisers also see drafts, under a banner, to check them before publishing.
    prisoners = visible_to(request, Prisoner.objects.all(), Q(is_published=True))
    prisoner = get_object_or_404(prisoners.select_related("place_of_detention"), slug=slug)
    appeals = Appeal.objects.public().filter(prisoners=prisoner)
    petitions = Petition.objects.public().filter(prisoners=prisoner)
    is_draft = not prisoner.is_published
    # Each visitor's own time goes in when the page is sent, kept or not (lib/pagecache.py).
    alert_form = AlertForm(initial={"started": STARTED_PLACEHOLDER})
    # Days of action for the case itself, and for its appeals and petitions.
    events = Event.objects.upcoming().filter(
        Q(prisoner=prisoner) | Q(appeal__prisoners=prisoner) | Q(petition__prisoners=prisoner)
    )
    response = render(
        request,
        "prisoners/prisoner_detail.html",
        {
            "prisoner": prisoner,
            # Read only when the case's parts are not in the fragment cache (the template's
            # {% cache %} blocks, keyed on the case's updated_at, which prisoners/signals.py
            # moves whenever a charge, an event, a source or the place changes).
            "charges": prisoner.charges.all(),
            "case_events": prisoner.events.select_related("source"),
            "sources": prisoner.sources.all(),
            # Years held and a stale status are counted to today: a new day, new fragments.
            "today": timezone.localdate(),
            "upcoming_events": list(events.distinct()[:UPCOMING_EVENTS]),
            "appeals": appeals,
            "petitions": petitions,
            "updates": Update.objects.published().filter(prisoner=prisoner).order_by("-sent_at"),
            "alert_form": alert_form,
            "preview": None if is_draft else _preview(prisoner),
            **draft_context(prisoner, is_draft),
        },
    )
    return mark_draft(response) if is_draft else response


def _card_tag(prisoner):
    return cards.version("prisoner", prisoner.pk, prisoner.updated_at.timestamp(), get_language())


def _preview(prisoner):
    """What a link to the case shows when pasted into a chat or a post."""
    return preview(
        title=prisoner.name,
        description=prisoner.summary,
        path=prisoner.get_absolute_url(),
        image=f"{reverse('prisoners:card', args=[prisoner.slug])}?v={_card_tag(prisoner)}",
    )


@require_safe
def card(request, slug):
    """The case's link-preview image: the name (and in the original script), the summary,
    where the case stands."""
    prisoner = get_object_or_404(Prisoner.objects.published(), slug=slug)

    def draw():
        title = prisoner.name
        if prisoner.name_original and prisoner.name_original != prisoner.name:
            title = f"{prisoner.name} · {prisoner.name_original}"
        highlight = prisoner.get_status_display()
        if prisoner.hunger_strike:
            highlight = f"{highlight} · {gettext_now('On hunger strike')}"
        # As on the page (prisoners/_status.html): a status is the latest report's, with its
        # date; a card must not say "In prison" of someone freed since.
        note = ""
        if when := prisoner.status_as_of_display:
            if prisoner.status == Prisoner.Status.UNKNOWN:
                note = gettext_now("since %(when)s, the latest report we have") % {"when": when}
            else:
                note = gettext_now("as of %(when)s (the latest report we have)") % {"when": when}
        return cards.draw_card(
            title=title,
            subtitle=prisoner.summary,
            highlight=highlight,
            note=note,
            site_name=gettext_now("Kazakhstan Solidarity"),
            footer=cards.site_host(),
        )

    return cards.card_response(request, _card_tag(prisoner), draw)
