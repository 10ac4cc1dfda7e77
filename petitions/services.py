"""Operations on signatures that span several models: signing, confirming, withdrawing,
rejecting, counting, keying in paper signatures, recording the delivery and telling the
signers, stopping a signer's emails, and forgetting what is no longer needed.

Views, admin actions and management commands all go through these functions, so the
counts in SignatureCount change in the same transaction as the signatures they count.
"""

import datetime
import random
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from lib import crypto, origin
from lib.hashing import keyed_hash, name_fingerprint

from . import handover, tasks
from .models import PaperBatch, Petition, Signature, SignatureCount, new_nonce

# Providers known to ignore dots in the local part, and the names they go by.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


# --- fingerprints ----------------------------------------------------------------------


def normalise_email(address):
    """The form of an address mail providers treat as the same mailbox: case folded,
    the +tag dropped (every large provider delivers a+tag@ to a@), and for Gmail the dots
    in the local part too. Only ever hashed: mail goes to the address as typed."""
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def email_fingerprint(address):
    return keyed_hash("email", normalise_email(address))


# --- counting ----------------------------------------------------------------------------


def _add_to_count(petition_id, country, delta):
    """Add delta to one random shard of (petition, country). Call inside the transaction
    that changes the signature's status."""
    shard = random.randrange(SignatureCount.SHARDS)
    updated = SignatureCount.objects.filter(petition_id=petition_id, country=country, shard=shard).update(
        n=F("n") + delta
    )
    if updated:
        return
    try:
        with transaction.atomic():  # a savepoint: another request may create the row first
            SignatureCount.objects.create(petition_id=petition_id, country=country, shard=shard, n=delta)
    except IntegrityError:
        SignatureCount.objects.filter(petition_id=petition_id, country=country, shard=shard).update(n=F("n") + delta)


def move_count(petition_id, old_country, new_country):
    """A confirmed signature's country was corrected: it counts for the new one."""
    if old_country != new_country:
        _add_to_count(petition_id, old_country, -1)
        _add_to_count(petition_id, new_country, +1)


def count_changes(signatures, delta):
    by_key = {}
    for signature in signatures:
        key = (signature.petition_id, signature.country or "")
        by_key[key] = by_key.get(key, 0) + delta
    for (petition_id, country), change in by_key.items():
        _add_to_count(petition_id, country, change)


@transaction.atomic
def recount(petition):
    """Rebuild a petition's counters from its confirmed signatures."""
    SignatureCount.objects.filter(petition=petition).delete()
    rows = (
        Signature.objects.filter(petition=petition)
        .confirmed()
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by()
    )
    SignatureCount.objects.bulk_create(
        SignatureCount(petition=petition, country=country, shard=0, n=n) for country, n in rows
    )


# --- the signer's path -------------------------------------------------------------------


class PetitionClosed(Exception):
    """The petition takes no signatures now (closed, past its deadline, or delivered):
    nobody can sign it, and a pending signature can no longer be confirmed."""

    def __init__(self, petition):
        super().__init__(f"{petition} takes no signatures.")
        self.petition = petition


def _schedule(task, *args):
    """Queue an email task. With the database backend the task row is written in the
    caller's transaction (the worker sees it once that commits); run inline
    (TASKS_BACKEND=immediate, `make run`), it waits until that transaction has committed."""
    if settings.TASKS_BACKEND == "immediate":
        transaction.on_commit(lambda: task.enqueue(*args))
    else:
        task.enqueue(*args)


def sign(petition, data):
    """Sign `petition` with a SignatureForm's cleaned_data; returns the signature's id.
    Signing again with the same address changes nothing and reveals nothing: it only asks
    for the address to be mailed again (a fresh confirmation link, or a note that it has
    already signed; tasks.mail_again decides which, and whether it is too soon). Raises
    PetitionClosed if the petition takes no signatures.

    One statement, the same for a new address and one that has signed:
    INSERT … ON CONFLICT (petition, email_hash) DO UPDATE, which either adds the signature
    or marks the existing one as due a mail again, with the address as typed this time and
    this page's language. Nothing else is written: the row is its own outbox (`mail_due`),
    and queue_due_mail, in the email worker, turns marked rows into queued email, many in
    one transaction."""
    if not petition.takes_signatures:
        raise PetitionClosed(petition)
    # The page's language and address: the emails follow both (tasks.in_language_of; a
    # signing through the onion address is mailed links to it, lib/origin.py).
    language = translation.get_language() or ""
    onion = origin.through_onion()
    signature = Signature(
        petition=petition,
        email_hash=email_fingerprint(data["email"]),
        name=data["name"],
        name_hash=name_fingerprint(data["name"]),
        email=data["email"],
        country=data.get("country") or "",
        town=data.get("town") or "",
        organisation=data.get("organisation") or "",
        comment=data.get("comment") or "",
        public=bool(data.get("public")) and petition.list_signers,
        wants_updates=bool(data.get("wants_updates")),
        language=language,
        nonce=new_nonce(),
        mail_due=True,
        # What a second signing puts on the row that has the address (the ON CONFLICT
        # update takes the values this row would have had).
        resend_to=data["email"],
        resend_language=language,
        onion=onion,
        resend_onion=onion,
    )
    Signature.objects.bulk_create(
        [signature],
        update_conflicts=True,
        unique_fields=["petition", "email_hash"],
        update_fields=["mail_due", "resend_to", "resend_language", "resend_onion"],
    )
    _mail_now_if_inline()
    return signature.pk


def _mail_now_if_inline():
    # Without a worker (TASKS_BACKEND=immediate: `make run`, the tests) nobody else would
    # queue the mail: queue and send it once the signature is committed.
    if settings.TASKS_BACKEND == "immediate":
        transaction.on_commit(queue_due_mail)


# How many signatures' mail one pass of queue_due_mail queues, in one transaction.
DUE_MAIL_BATCH = 500


def queue_due_mail(limit=DUE_MAIL_BATCH):
    """Queue the email that signatures are due (`mail_due`), one task each, and clear the
    mark, in one transaction: a task is queued for each mark once, however many workers
    run this at once (each skips the rows another has locked). Returns how many.

    A signature never mailed gets its confirmation link (tasks.send_confirmation), which a
    worker that dies sending it sends again: at least once. Any other mark is a second
    signing, and tasks.mail_again decides what it gets, if anything."""
    with transaction.atomic():
        due = list(
            Signature.objects.select_for_update(skip_locked=True)
            .filter(mail_due=True)
            .only(
                "pk",
                "status",
                "mailed_at",
                "email",
                "language",
                "onion",
                "resend_to",
                "resend_language",
                "resend_onion",
            )
            .order_by("pk")[:limit]
        )
        first = set()
        for signature in due:
            if signature.status == Signature.Status.PENDING and signature.mailed_at is None:
                first.add(signature.pk)
                if signature.resend_to and (
                    signature.resend_to,
                    signature.resend_language,
                    signature.resend_onion,
                ) != (signature.email, signature.language, signature.onion):
                    # Signed again before its first mail: the link goes where, in the
                    # language and to the address (clear or onion) the last signing asked.
                    Signature.objects.filter(pk=signature.pk).update(
                        email=signature.resend_to or signature.email,
                        language=signature.resend_language or signature.language,
                        onion=signature.resend_onion,
                    )
                _schedule(tasks.send_confirmation, signature.pk)
            else:
                onion = signature.resend_onion if signature.resend_to else signature.onion
                # A queued task's arguments sit in the database until it has run: the
                # address goes in encrypted, as it is on the row.
                _schedule(
                    tasks.mail_again,
                    signature.pk,
                    crypto.encrypt(signature.resend_to or signature.email),
                    signature.resend_language or signature.language,
                    # Only when it is so: a clear-site signing's task reads as it always has.
                    *([True] if onion else []),
                )
        if first:
            # The wait before a second mail counts from now (tasks.RESEND_AFTER).
            Signature.objects.filter(pk__in=first).update(mailed_at=timezone.now())
        if due:
            Signature.objects.filter(pk__in=[signature.pk for signature in due]).update(
                mail_due=False, resend_to="", resend_language="", resend_onion=False
            )
    return len(due)


def confirm(signature, now=None):
    """Confirm a pending signature; True if this call confirmed it. Confirming twice, or
    two clicks racing, counts once: only the update that finds it pending counts. Raises
    PetitionClosed if the petition has stopped taking signatures since it was signed."""
    if not signature.petition.takes_signatures:
        raise PetitionClosed(signature.petition)
    now = now or timezone.now()
    with transaction.atomic():
        changed = Signature.objects.filter(pk=signature.pk, status=Signature.Status.PENDING).update(
            status=Signature.Status.CONFIRMED, confirmed_at=now
        )
        if not changed:
            return False
        _add_to_count(signature.petition_id, signature.country or "", 1)
        if not signature.wants_updates:
            # The confirmation link has done its work: the address is no longer needed.
            Signature.objects.filter(pk=signature.pk).update(email="")
    signature.status, signature.confirmed_at = Signature.Status.CONFIRMED, now
    return True


def set_status(signatures, status, now=None):
    """Bulk confirm or reject (organisers in the admin). Returns how many changed. Raises
    PetitionClosed, changing nothing, when asked to confirm a waiting signature of a
    petition that takes no signatures: what its signer's link may not do, neither may this."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Signature.objects.select_for_update().filter(pk__in=[s.pk for s in signatures]).exclude(status=status)
        )
        if status == Signature.Status.CONFIRMED:
            waiting_on = {s.petition_id for s in rows if s.status == Signature.Status.PENDING}
            for petition in Petition.objects.filter(pk__in=waiting_on):  # no query when none wait
                if not petition.takes_signatures:
                    raise PetitionClosed(petition)
        was_confirmed = [s for s in rows if s.status == Signature.Status.CONFIRMED]
        update = {"status": status}
        if status == Signature.Status.CONFIRMED:
            update["confirmed_at"] = now
        Signature.objects.filter(pk__in=[s.pk for s in rows]).update(**update)
        if status == Signature.Status.CONFIRMED:
            count_changes(rows, +1)
        else:
            count_changes(was_confirmed, -1)
    return len(rows)


def delete_signatures(signatures):
    """Withdraw (the signer's link) or delete (an organiser): the signature is gone, and
    so is its share of the count."""
    with transaction.atomic():
        rows = list(Signature.objects.select_for_update().filter(pk__in=[s.pk for s in signatures]))
        count_changes([s for s in rows if s.status == Signature.Status.CONFIRMED], -1)
        Signature.objects.filter(pk__in=[s.pk for s in rows]).delete()
    return len(rows)


def forget_finished(days, today=None):
    """Petitions closed or delivered `days` days ago or more: delete their signers'
    personal details (name, town, organisation, comment), their signatures never
    confirmed or rejected, and the address and its fingerprint of every signer who did
    not ask for updates. The counts by country, the hand-over record and its digest, and
    each row's hash stay; a signer who asked for updates keeps only their encrypted
    address (and its fingerprint, so that "forget me" still finds it) until they stop.
    Returns how many petitions were done."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    due = Petition.objects.filter(
        status__in=[Petition.Status.CLOSED, Petition.Status.DELIVERED],
        finished_on__lte=cutoff,
        signers_forgotten_on__isnull=True,
    )
    done = 0
    for petition in due:
        with transaction.atomic():
            # Neither kind is counted: the counters do not change.
            Signature.objects.filter(petition=petition).exclude(status=Signature.Status.CONFIRMED).delete()
            signatures = Signature.objects.filter(petition=petition)
            signatures.update(
                name="",
                name_hash="",
                town="",
                organisation="",
                comment="",
                public=False,
                resend_to="",
                resend_language="",
                mail_due=False,
                possible_duplicate=False,
            )
            signatures.filter(wants_updates=False).update(email="", email_hash=None)
            Petition.objects.filter(pk=petition.pk).update(signers_forgotten_on=today)
        done += 1
    return done


def purge_unconfirmed(days, now=None):
    """Delete signatures never confirmed within `days` days; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _by_model = Signature.objects.filter(status=Signature.Status.PENDING, created_at__lt=cutoff).delete()
    return deleted


# --- "forget me everywhere" ------------------------------------------------------------------
#
# Every app that keeps something under a person's email address registers a function here
# (`@forgets`): given the address, it deletes what it holds under it and returns what it
# deleted, as [(how many, what, said in words)]. forget_everywhere runs them all in one
# transaction, so that one link deletes everything or nothing.

FORGETTERS = []


def forgets(function):
    FORGETTERS.append(function)
    return function


def forget_everywhere(address):
    """Delete everything kept under `address`, in every app that registered; returns
    [(n, text)] of what went, e.g. [(2, "2 signatures"), (1, "1 request for updates")]."""
    deleted = []
    with transaction.atomic():
        for forget in FORGETTERS:
            deleted.extend(forget(address))
    return deleted


@forgets
def forget_signatures(address):
    """Every signature made with the address, on every petition (by its fingerprint), with
    the update requests among them: gone, and out of the counts."""
    rows = list(Signature.objects.filter(email_hash=email_fingerprint(address)))
    updates = sum(1 for signature in rows if signature.wants_updates and signature.email)
    signatures = delete_signatures(rows)
    return [
        (signatures, ngettext("%(n)d signature", "%(n)d signatures", signatures) % {"n": signatures}),
        (updates, ngettext("%(n)d request for updates", "%(n)d requests for updates", updates) % {"n": updates}),
    ]


# --- paper signatures --------------------------------------------------------------------


def find_duplicates(petition, rows, lines=None):
    """For each row (a dict with "name" and maybe "email"), why it may repeat a signature
    already on `petition` or an earlier row (`lines` numbers them, 1, 2... by default):
    "" when nothing matches. People sign at a
    stall and again online, or a sheet is keyed in twice; but two people can share a name,
    so a match is only flagged for an organiser to look at, never merged or dropped."""
    names = {name_fingerprint(row["name"]) for row in rows if row.get("name")}
    hashes = {email_fingerprint(row["email"]) for row in rows if row.get("email")}
    known_names = {}
    if names:
        # One query, whatever the number of rows.
        matches = (
            Signature.objects.filter(petition=petition, name_hash__in=names)
            .exclude(status=Signature.Status.REJECTED)
            .values_list("name_hash", "source")
        )
        for name_hash, source in matches:
            known_names.setdefault(name_hash, source)
    known_hashes = dict(
        Signature.objects.filter(petition=petition, email_hash__in=hashes).values_list("email_hash", "source")
    )
    reasons, seen_names, seen_hashes = [], {}, {}
    for number, row in zip(lines or range(1, len(rows) + 1), rows, strict=True):
        name = name_fingerprint(row.get("name") or "")
        email_hash = email_fingerprint(row["email"]) if row.get("email") else ""
        reason = ""
        if email_hash and email_hash in known_hashes:
            reason = _duplicate_reason("address", known_hashes[email_hash])
        elif name and name in known_names:
            reason = _duplicate_reason("name", known_names[name])
        elif email_hash and email_hash in seen_hashes:
            reason = _("the same address as line %(line)d") % {"line": seen_hashes[email_hash]}
        elif name and name in seen_names:
            reason = _("the same name as line %(line)d") % {"line": seen_names[name]}
        seen_names.setdefault(name, number)
        if email_hash:
            seen_hashes.setdefault(email_hash, number)
        reasons.append(reason)
    return reasons


def _duplicate_reason(what, source):
    if source == Signature.Source.PAPER:
        if what == "address":
            return _("the same address as a paper signature already keyed in")
        return _("the same name as a paper signature already keyed in")
    if what == "address":
        return _("the same address as an online signature")
    return _("the same name as an online signature")


def _paper_signature(batch, row, now, duplicate, email_hash):
    email = row.get("email") or ""
    wants_updates = bool(row.get("wants_updates")) and bool(email)
    return Signature(
        petition_id=batch.petition_id,
        paper_batch=batch,
        source=Signature.Source.PAPER,
        status=Signature.Status.CONFIRMED,
        created_at=now,
        confirmed_at=now,
        name=row["name"],
        name_hash=name_fingerprint(row["name"]),  # bulk_create skips Signature.save()
        organisation=row.get("organisation") or "",
        town=row.get("town") or "",
        country=row.get("country") or "",
        comment=row.get("comment") or "",
        public=bool(row.get("public")) and batch.petition.list_signers,
        wants_updates=wants_updates,
        # As online: the address is kept only to send the updates the signer asked for.
        email=email if wants_updates else "",
        email_hash=email_hash,
        possible_duplicate=duplicate,
        nonce=secrets.token_urlsafe(16),  # bulk_create skips Signature.save()
        language=batch.language,
    )


def add_paper_signatures(batch, rows, now=None):
    """Add rows of a paper batch (dicts: name, and optionally organisation, town, country,
    public, email, wants_updates, comment) as confirmed signatures, counted in the same
    transaction. A row that may repeat a signature is added and flagged possible_duplicate.
    Returns the new signatures."""
    now = now or timezone.now()
    for attempt in range(2):
        reasons = find_duplicates(batch.petition, rows)
        signatures = []
        for row, reason in zip(rows, reasons, strict=True):
            email_hash = email_fingerprint(row["email"]) if row.get("email") else None
            if reason and email_hash:
                # One fingerprint per address per petition (a database constraint): the
                # repeat goes without, and its flag tells the organisers why.
                email_hash = None
            signatures.append(_paper_signature(batch, row, now, bool(reason), email_hash))
        try:
            with transaction.atomic():
                Signature.objects.bulk_create(signatures, batch_size=500)
                count_changes(signatures, +1)
        except IntegrityError:
            if attempt:
                raise
            continue  # someone signed online with one of these addresses a moment ago: look again
        return signatures
    return []


def update_paper_signature(signature, old_country):
    """Save an organiser's correction to a keyed-in signature; a confirmed one moves to
    its new country's count."""
    if not signature.wants_updates:
        signature.email = ""
    signature.public = signature.public and signature.petition.list_signers
    with transaction.atomic():
        signature.save()
        if signature.status == Signature.Status.CONFIRMED:
            move_count(signature.petition_id, str(old_country or ""), str(signature.country or ""))


def delete_paper_batches(batches):
    """Delete paper batches with their signatures, taken out of the count first: the
    database's cascade alone would leave the counters too high."""
    ids = [batch.pk for batch in batches]
    with transaction.atomic():
        deleted = delete_signatures(list(Signature.objects.filter(paper_batch__in=ids)))
        PaperBatch.objects.filter(pk__in=ids).delete()
    return deleted


# --- the delivery, and a signer who wants no more email -----------------------------------


def record_delivery(petition, delivered_on, where=None, to=None, note=None, photo=None, texts=None):
    """The petition was handed over: record when, where and to whom, and close it. From
    then on it takes no signatures, and a pending one can no longer be confirmed.

    `where`, `to` and `note` are the English texts; `texts` gives any language's
    ({"delivered_to_ru": "секретарю компании"}). Texts not given are left as they are."""
    petition.delivered_on = delivered_on
    given = dict(texts or {})
    for field, value in (("delivered_where", where), ("delivered_to", to), ("delivery_note", note)):
        if value is not None:
            given[build_localized_fieldname(field, settings.LANGUAGE_CODE)] = value
    for name, value in given.items():
        setattr(petition, name, value)
    if photo is not None:
        petition.delivery_photo = photo
    petition.status = Petition.Status.DELIVERED
    petition.save()
    handover.seal_list(petition)
    return petition


def tell_signers_of_delivery(petition, now=None):
    """Queue the news of the delivery for every signer who asked for updates, once per
    petition: pressing the button twice mails nobody twice. Returns how many will be told,
    or None when the petition is not delivered or its signers have been told already."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.status != Petition.Status.DELIVERED or locked.signers_told_at:
            return None
        Petition.objects.filter(pk=petition.pk).update(signers_told_at=now)
        petition.signers_told_at = now
        count = Signature.objects.filter(petition=petition).wanting_updates().count()
        transaction.on_commit(lambda: tasks.announce_delivery.enqueue(petition.pk))
    return count


def deliver(petition, delivered_on, where=None, to=None, note=None, photo=None, tell_signers=False, texts=None):
    """Record the hand-over, which closes the petition, and if `tell_signers`, queue the
    news for the signers who asked for updates. One transaction: the delivery and the mark
    that its signers are told are saved together or not at all, and the news is queued
    only once both are. Returns how many will be told, or None (not asked, or told before)."""
    with transaction.atomic():
        record_delivery(petition, delivered_on, where=where, to=to, note=note, photo=photo, texts=texts)
        return tell_signers_of_delivery(petition) if tell_signers else None


def stop_updates(signature):
    """The signer wants no more email: forget the address, keep the signature. Once the
    petition's signers are forgotten, the address's fingerprint goes too: nothing is
    left that could tie this signature to a person."""
    update = {"wants_updates": False, "email": ""}
    if signature.petition.signers_forgotten_on:
        update["email_hash"] = None
    Signature.objects.filter(pk=signature.pk).update(**update)
    signature.wants_updates, signature.email = False, ""
