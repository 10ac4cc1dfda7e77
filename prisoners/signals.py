"""A case's page keeps its parts in the fragment cache, keyed on the case's `updated_at`
(templates/prisoners/prisoner_detail.html). A charge, a timeline event, a source or a place of
detention is edited on its own, without saving the case: each such change moves the case's
`updated_at`, so the next visitor gets the case as it now is, in every web process at once.

The case is touched with an UPDATE, not a save(): its change history records what an
organiser changed, not this. Changes that send no signal (a QuerySet.update() in a shell)
show once the case itself is saved, or the next day.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner, Source


def touch(prisoners):
    prisoners.update(updated_at=timezone.now())


@receiver([post_save, post_delete], sender=Charge)
@receiver([post_save, post_delete], sender=CaseEvent)
def part_of_a_case_changed(sender, instance, **kwargs):
    touch(Prisoner.objects.filter(pk=instance.prisoner_id))


@receiver(post_save, sender=Source)
@receiver(pre_delete, sender=Source)
def source_changed(sender, instance, **kwargs):
    # Before a deletion, while the links to it are still there to follow.
    touch(Prisoner.objects.filter(pk__in=instance.prisoners.values("pk")))
    touch(Prisoner.objects.filter(pk__in=CaseEvent.objects.filter(source=instance).values("prisoner")))


@receiver(post_save, sender=PlaceOfDetention)
@receiver(pre_delete, sender=PlaceOfDetention)
def place_changed(sender, instance, **kwargs):
    touch(instance.prisoners.all())


@receiver(m2m_changed, sender=Prisoner.sources.through)
def sources_of_a_case_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # instance is the case
        if action in ("post_add", "post_remove", "post_clear"):
            touch(Prisoner.objects.filter(pk=instance.pk))
    elif action in ("post_add", "post_remove"):  # instance is a source
        touch(Prisoner.objects.filter(pk__in=pk_set))
    elif action == "pre_clear":
        touch(instance.prisoners.all())
