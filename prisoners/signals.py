"""A case's page keeps its parts in the fragment cache, keyed on the case's `updated_at`
(templates/prisoners/prisoner_detail.html). A charge, a timeline event, a source or a place of
detention is edited on its own, without saving the case: each such change moves the case's
`updated_at`, so the next visitor gets the case as it now is, in every web process at once.

Changes that send no signal (a QuerySet.update() in a shell)
show once the case itself is saved, or the next day.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from lib.touch import on_links_changed, touch

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner, Source


@receiver([post_save, post_delete], sender=Charge)
@receiver([post_save, post_delete], sender=CaseEvent)
def part_of_a_case_changed(sender, instance, **kwargs):
    touch(Prisoner.objects.filter(pk=instance.prisoner_id))


@receiver(post_save, sender=Source)
@receiver(pre_delete, sender=Source)
def source_changed(sender, instance, **kwargs):
    # Before a deletion, while the links to it are still there to follow.
    cites = CaseEvent.objects.filter(source=instance).values("prisoner")
    touch(Prisoner.objects.filter(Q(pk__in=instance.prisoners.values("pk")) | Q(pk__in=cites)))


@receiver(post_save, sender=PlaceOfDetention)
@receiver(pre_delete, sender=PlaceOfDetention)
def place_changed(sender, instance, **kwargs):
    touch(instance.prisoners.all())


sources_of_a_case_changed = on_links_changed(Prisoner, "prisoners")
m2m_changed.connect(sources_of_a_case_changed, sender=Prisoner.sources.through)
