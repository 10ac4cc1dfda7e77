"""Who has touched a record, from its change history (django-simple-history)."""


def edited_by_someone(obj, *related_histories):
    """True once a person has changed the record, or one of the related records whose
    history querysets are given: saves by loaders and commands are made by no one, those in
    the admin by the organiser logged in. Loaders update only records nobody has touched."""
    histories = (obj.history.all(), *related_histories)
    return any(history.exclude(history_user=None).exists() for history in histories)


def bring_up_to_date(obj, fields):
    """Set the fields whose values differ and save (one history row); True if any did.
    For loaders, on a record nobody has touched."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save()
    return bool(changed)
