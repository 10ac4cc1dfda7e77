"""Moving the `updated_at` of the cases and appeals a changed part shows on: their pages keep
those parts in the fragment cache, keyed on it (prisoners/signals.py, appeals/signals.py).

With an UPDATE, not a save(): the change history records what an organiser changed, not this.
"""

from django.utils import timezone


def touch(queryset):
    queryset.update(updated_at=timezone.now())


def on_links_changed(model, reverse_name):
    """An m2m_changed receiver for `model`'s links to another model (a case's sources, an
    appeal's prisoners), from either side: `reverse_name` is the other side's accessor."""

    def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # instance is a `model`
            if action in ("post_add", "post_remove", "post_clear"):
                touch(model.objects.filter(pk=instance.pk))
        elif action in ("post_add", "post_remove"):
            touch(model.objects.filter(pk__in=pk_set))
        elif action == "pre_clear":  # before, while the links are still there to follow
            touch(getattr(instance, reverse_name).all())

    return links_changed
