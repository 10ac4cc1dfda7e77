from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from lib.pagecache import public_page
from lib.preview import draft_context, mark_draft, visible_to
from petitions.models import Petition

from .models import CaseEvent, Prisoner

# Filters on the list page: the organiser's status values grouped the way supporters
# think of them.
STATUS_FILTERS = {
    "held": (_("In prison or on trial"), Prisoner.HELD),
    "released": (_("Released"), (Prisoner.Status.RELEASED, Prisoner.Status.PAROLED)),
    "deceased": (_("Died"), (Prisoner.Status.DECEASED,)),
}


@public_page()
def prisoner_list(request):
    prisoners = Prisoner.objects.published().urgent_first().select_related("place_of_detention")
    current = request.GET.get("status", "")
    if current in STATUS_FILTERS:
        prisoners = prisoners.filter(status__in=STATUS_FILTERS[current][1])
    else:
        current = ""
    filters = [("", _("All"))] + [(key, label) for key, (label, _statuses) in STATUS_FILTERS.items()]
    return render(
        request,
        "prisoners/prisoner_list.html",
        {"prisoners": prisoners, "filters": filters, "current": current},
    )


@public_page()
def prisoner_detail(request, slug):
    # Organisers also see drafts, under a banner, to check them before publishing.
    prisoners = visible_to(request, Prisoner.objects.all(), Q(is_published=True))
    prisoner = get_object_or_404(
        prisoners.select_related("place_of_detention").prefetch_related(
            "charges",
            "sources",
            Prefetch("events", queryset=CaseEvent.objects.select_related("source")),
        ),
        slug=slug,
    )
    appeals = Appeal.objects.public().filter(prisoners=prisoner)
    petitions = Petition.objects.public().filter(prisoners=prisoner)
    is_draft = not prisoner.is_published
    response = render(
        request,
        "prisoners/prisoner_detail.html",
        {"prisoner": prisoner, "appeals": appeals, "petitions": petitions, **draft_context(prisoner, is_draft)},
    )
    return mark_draft(response) if is_draft else response
