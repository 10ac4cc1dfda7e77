"""Who has touched a record, from its change history (django-simple-history)."""


def edited_by_someone(obj, *related_histories):
    """True once a person has changed the record, or one of the related records whose
    history querysets are given: saves by loaders and commands are made by no one, those in
    the admin by the organiser logged in. Loaders update only records nobody has touched."""
    histories = (obj.history.all(), *related_histories)
    return any(history.exclude(history_user=None).exists() for history in histories)
