"""An appeal's page keeps its header, demands and recipients in the fragment cache, keyed on
the appeal's `updated_at` (templates/appeals/appeal_detail.html). What those show is also
edited on its own: a demand or a letter text inline, a recipient, an entry of the directory and
its sources, a prisoner the appeal is about. Each such change moves the `updated_at` of the
appeals it shows on, so the next visitor gets the appeal as it now is, in every web process.

Changes that send no signal (a QuerySet.update() in a shell)
show once the appeal itself is saved.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from lib.touch import on_links_changed, touch
from prisoners.models import Prisoner

from .models import Appeal, Demand, LetterText, Recipient, Source, Target


@receiver([post_save, post_delete], sender=Demand)
@receiver([post_save, post_delete], sender=LetterText)
@receiver([post_save, post_delete], sender=Recipient)
def part_of_an_appeal_changed(sender, instance, **kwargs):
    touch(Appeal.objects.filter(pk=instance.appeal_id))


@receiver(post_save, sender=Target)
def directory_entry_changed(sender, instance, **kwargs):
    touch(Appeal.objects.filter(recipients__target=instance))


@receiver([post_save, post_delete], sender=Source)
def source_of_an_entry_changed(sender, instance, **kwargs):
    touch(Appeal.objects.filter(recipients__target_id=instance.target_id))


@receiver(post_save, sender=Prisoner)
@receiver(pre_delete, sender=Prisoner)
def prisoner_changed(sender, instance, **kwargs):
    # Before a deletion, while the link to the appeal is still there to follow.
    touch(Appeal.objects.filter(prisoners=instance))


prisoners_of_an_appeal_changed = on_links_changed(Appeal, "appeals")
m2m_changed.connect(prisoners_of_an_appeal_changed, sender=Appeal.prisoners.through)
