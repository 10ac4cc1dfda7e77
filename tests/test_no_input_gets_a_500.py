"""Every public form and every address that takes input, fed arbitrary text, bytes, lengths,
missing and repeated fields: the answer is always below 500, and nothing stored
changes unless the answer says it was accepted.

Each test tries FUZZ_EXAMPLES inputs (default 30, a few seconds); a long run:
`FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_no_input_gets_a_500.py`.
"""

import os

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appeals.models import DirectoryReport, LetterOutcome, LetterSent
from appeals.services import outcome_token
from petitions.forms import STARTED_SALT
from petitions.models import Signature, SignatureCount
from petitions.tokens import make_token

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example file left in the checkout
)

# Text of every kind: control and invisible characters, right-to-left overrides, emoji,
# Cyrillic and Kazakh, and lengths up to far past every field's limit.
any_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.sampled_from(["", " ", "\x00", "\u202e", "\u200b", "ә ғ қ ң", "x" * 25000, "=1+1", "<script>", "%s%(x)s{x}"]),
)
values = st.one_of(any_text, st.lists(any_text, min_size=2, max_size=3))  # a list repeats the field


def fields(names):
    """A form's fields, some missing, some extra, some repeated."""
    keys = st.one_of(st.sampled_from(names), st.text(max_size=12))
    return st.dictionaries(keys, values, max_size=len(names) + 3)


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "",
]
raw_bodies = st.tuples(st.binary(max_size=2000), st.sampled_from(CONTENT_TYPES))


def stored():
    return (
        Signature.objects.count(),
        sorted(Signature.objects.values_list("status", flat=True)),
        sum(SignatureCount.objects.values_list("n", flat=True)),
        LetterSent.objects.count(),
    )


@pytest.fixture
def visitor():
    # Views' errors are answered as a browser gets them, not raised into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def places(make_appeal, make_petition, make_prisoner):
    appeal = make_appeal()
    petition = make_petition()
    return {"appeal": appeal.slug, "petition": petition.slug, "prisoner": make_prisoner().slug}


def post(visitor, url, data):
    if isinstance(data, tuple):
        body, content_type = data
        return visitor.generic("POST", url, data=body, content_type=content_type)
    return visitor.post(url, data)


APPEAL_FIELDS = ["name", "organisation", "town", "country", "language", "recipient", "subject", "body"]


@fuzz
@given(data=st.one_of(fields(APPEAL_FIELDS), raw_bodies), which=st.sampled_from(["letter", "letter_txt", "letter_pdf"]))
def test_the_letter_form_never_fails_and_stores_nothing(visitor, places, data, which):
    before = stored()
    response = post(visitor, reverse(f"appeals:{which}", args=[places["appeal"]]), data)
    assert response.status_code < 500
    assert stored() == before  # a letter is never stored


@fuzz
@given(data=st.one_of(fields(["channel", "country"]), raw_bodies))
def test_counting_a_letter_sent_never_fails_and_counts_only_when_it_says_so(visitor, places, data):
    before = stored()
    response = post(visitor, reverse("appeals:sent", args=[places["appeal"]]), data)
    assert response.status_code < 500
    counted = stored()[3] - before[3]
    assert counted == (1 if response.status_code == 302 else 0)


SIGN_FIELDS = [
    "name", "email", "country", "town", "organisation", "comment", "public", "wants_updates", "website", "use_email"
]  # fmt: skip


@fuzz
@given(
    data=st.one_of(fields(SIGN_FIELDS), raw_bodies),
    started=st.sampled_from(["long ago", "just now", "missing", "forged"]),
    form=st.sampled_from(["sign", "embed_sign"]),  # the full page's form, or the embedded one
)
def test_the_signing_form_never_fails_and_stores_only_what_it_accepts(visitor, places, data, started, form):
    if isinstance(data, dict):
        data = dict(data)
        data["started"] = {
            "long ago": signing.dumps(0, salt=STARTED_SALT),
            "just now": signing.dumps(10**10, salt=STARTED_SALT),
            "missing": "",
            "forged": "0:abc",
        }[started]
    before = stored()
    response = post(visitor, reverse(f"petitions:{form}", args=[places["petition"]]), data)
    assert response.status_code < 500
    added = stored()[0] - before[0]
    if response.status_code == 302:  # "check your email": at most one new, pending signature
        assert added in (0, 1)
        assert stored()[2] == before[2]  # nothing counts before it is confirmed
    else:
        assert stored() == before


PROPOSAL_FIELDS = [
    "title", "kind", "date", "start_time", "end_time", "time_zone", "country", "city", "address", "online_url",
    "summary", "appeal", "petition", "prisoner", "contact", "proposed_by", "proposer_email", "proposer_note",
    "website", "use_email",
]  # fmt: skip


@fuzz
@given(
    data=st.one_of(fields(PROPOSAL_FIELDS), raw_bodies),
    started=st.sampled_from(["long ago", "a minute ago", "missing", "forged"]),
)
def test_the_event_proposal_form_never_fails_and_publishes_nothing(visitor, places, data, started):
    import time

    from django.core.cache import cache

    from events.models import Event

    cache.clear()  # the hourly limit would otherwise answer every example after the fifth
    if isinstance(data, dict):
        data = dict(data)
        data["started"] = {
            "long ago": signing.dumps(0, salt=STARTED_SALT),
            "a minute ago": signing.dumps(time.time() - 60, salt=STARTED_SALT),
            "missing": "",
            "forged": "0:abc",
        }[started]
    before = Event.objects.count()
    response = post(visitor, reverse("events:propose"), data)
    assert response.status_code < 500
    assert Event.objects.count() - before in ((0, 1) if response.status_code == 302 else (0,))
    assert not Event.objects.public().exists()


@fuzz
@given(token=st.one_of(any_text, st.just("x" * 300)), which=st.sampled_from(["confirm", "withdraw", "stop_updates"]))
def test_made_up_email_links_never_fail_and_change_nothing(visitor, places, make_petition, token, which):
    token = token.replace("/", "") or "x"
    before = stored()
    for method in ("get", "post", "head"):
        response = getattr(visitor, method)(reverse(f"petitions:{which}", args=[token]))
        assert response.status_code < 500
    assert stored() == before


@fuzz
@given(data=st.one_of(fields(["email", "website", "started"]), raw_bodies))
def test_the_forget_me_form_never_fails_and_deletes_nothing(visitor, places, data):
    before = stored()
    response = post(visitor, reverse("petitions:forget"), data)
    assert response.status_code < 500
    assert stored() == before  # it only mails a link


@fuzz
@given(token=st.one_of(any_text, st.just("x" * 300)))
def test_made_up_forget_me_links_never_fail_and_delete_nothing(visitor, places, token):
    token = token.replace("/", "") or "x"
    before = stored()
    for method in ("get", "post", "head"):
        assert getattr(visitor, method)(reverse("petitions:forget_confirm", args=[token])).status_code < 500
    assert stored() == before


@pytest.mark.parametrize("pk, nonce", [(10**30, "nonce"), (1, "no\x00nce"), (1, "x" * 5000)])
def test_a_token_signed_with_the_real_key_but_holding_impossible_values_changes_nothing(visitor, places, pk, nonce):
    # The right types, but an id past any integer column, or a NUL that PostgreSQL refuses
    # to compare (a 500 there, not on SQLite).
    from petitions.tokens import TOKEN_SALT

    before = stored()
    for which in ("confirm", "withdraw", "stop_updates"):
        token = signing.dumps([pk, nonce, which], salt=TOKEN_SALT, compress=False)
        for method in ("get", "post"):
            response = getattr(visitor, method)(reverse(f"petitions:{which}", args=[token]))
            assert response.status_code < 500, (pk, nonce, which, method)
    assert stored() == before


def test_a_token_signed_with_the_real_key_but_holding_the_wrong_types_is_refused(visitor, db):
    # The signature holds, the content is nonsense.
    from petitions.tokens import TOKEN_SALT

    for payload in (["x", "nonce", "confirm"], [None, None, None], "text", [1], {"a": 1}, [[1], 2, "confirm"]):
        token = signing.dumps(payload, salt=TOKEN_SALT, compress=False)
        for which in ("confirm", "withdraw", "stop_updates"):
            response = visitor.post(reverse(f"petitions:{which}", args=[token]))
            assert 400 <= response.status_code < 500, (payload, which)


REPORT_FIELDS = ["kind", "target", "country", "details", "source", "email", "website", "started"]


@fuzz
@given(data=st.one_of(fields(REPORT_FIELDS), raw_bodies))
def test_the_directory_report_form_never_fails_and_queues_only_what_it_accepts(visitor, places, make_embassy, data):
    before = DirectoryReport.objects.count()
    response = post(visitor, reverse("appeals:report"), data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert DirectoryReport.objects.count() == before


OUTCOME_FIELDS = ["kind", "target", "text", "file", "website", "started"]


@fuzz
@given(data=st.one_of(fields(OUTCOME_FIELDS), raw_bodies), token=st.one_of(any_text, st.just("real")))
def test_telling_what_came_of_a_letter_never_fails(visitor, places, data, token):
    from appeals.models import Appeal

    appeal = Appeal.objects.get(slug=places["appeal"])
    letter = LetterSent.objects.filter(appeal=appeal).first() or LetterSent.objects.create(appeal=appeal)
    real = token == "real"
    token = outcome_token(letter) if real else token
    before = LetterOutcome.objects.count()
    try:
        url = reverse("appeals:outcome", args=[appeal.slug, token])
    except Exception:  # a token no address can hold (a slash, an empty string)
        return
    response = post(visitor, url, data)
    assert response.status_code < 500
    assert visitor.get(url).status_code < 500
    if response.status_code != 302 or not real:
        assert LetterOutcome.objects.count() == before


@fuzz
@given(
    query=st.dictionaries(
        st.sampled_from(["country", "after", "page", "q", "status", "language", "before", "form", "size", "v"]), values
    )
)
def test_addresses_that_take_a_query_never_fail(visitor, places, query):
    prisoner = places["prisoner"]
    for url in (
        reverse("prisoners:detail", args=[prisoner]),
        reverse("prisoners:feed"),
        reverse("prisoners:prisoner_feed", args=[prisoner]),
        reverse("prisoners:card", args=[prisoner]),
        reverse("appeals:feed"),
        reverse("appeals:card", args=[places["appeal"]]),
        reverse("petitions:sheet", args=[places["petition"]]),
        reverse("petitions:check_email", args=[places["petition"]]),
        reverse("petitions:embed_check_email", args=[places["petition"]]),
        reverse("appeals:embassies"),
        reverse("appeals:report"),
        reverse("appeals:list"),
        reverse("prisoners:list"),
        reverse("petitions:list"),
        reverse("petitions:signers", args=[places["petition"]]),
        reverse("petitions:count_json", args=[places["petition"]]),
        reverse("petitions:detail", args=[places["petition"]]),
        reverse("appeals:detail", args=[places["appeal"]]),
        reverse("petitions:embed", args=[places["petition"]]),
        reverse("petitions:card", args=[places["petition"]]),
        reverse("petitions:poster", args=[places["petition"]]),
        reverse("appeals:poster", args=[places["appeal"]]),
        reverse("petitions:feed"),
        reverse("events:list"),
        reverse("events:feed"),
        reverse("events:calendar"),
        reverse("events:propose"),
        reverse("events:proposed"),
        "/events/1/",
        "/events/1/event.ics",
    ):
        assert visitor.get(url, query).status_code < 500, url


@fuzz
@given(data=st.one_of(fields(["username", "password", "next"]), raw_bodies))
def test_the_admin_login_never_fails_and_lets_nobody_in(visitor, organiser, data):
    # The one form for staff that anyone can reach; axes records each failure.
    response = post(visitor, reverse("admin:login"), data)
    assert response.status_code < 500
    assert "_auth_user_id" not in visitor.session


def test_a_real_confirmation_link_still_works_after_the_fuzzing(visitor, make_petition, sign, sign_data):
    # The property above must not pass because every link is refused.
    petition = make_petition()
    sign(petition, sign_data())
    signature = Signature.objects.get()
    response = visitor.post(reverse("petitions:confirm", args=[make_token(signature, "confirm")]))
    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED


# --- a case's alerts ------------------------------------------------------------------------

ALERT_FIELDS = ["email", "website", "started"]


@fuzz
@given(
    data=st.one_of(fields(ALERT_FIELDS), raw_bodies),
    started=st.sampled_from(["long ago", "just now", "missing", "forged"]),
)
def test_the_alert_form_never_fails_and_stores_only_what_it_accepts(visitor, places, data, started):
    from news.models import Subscriber

    if isinstance(data, dict):
        data = dict(data)
        data["started"] = {
            "long ago": signing.dumps(0, salt=STARTED_SALT),
            "just now": signing.dumps(10**10, salt=STARTED_SALT),
            "missing": "",
            "forged": "0:abc",
        }[started]
    before = Subscriber.objects.count()
    response = post(visitor, reverse("news:subscribe", args=[places["prisoner"]]), data)
    assert response.status_code < 500
    added = Subscriber.objects.count() - before
    assert added in ((0, 1) if response.status_code == 302 else (0,))
    assert not Subscriber.objects.filter(confirmed_at__isnull=False).exists()


@fuzz
@given(token=st.one_of(any_text, st.just("x" * 300)), which=st.sampled_from(["confirm", "unsubscribe"]))
def test_made_up_alert_links_never_fail_and_change_nothing(visitor, places, token, which):
    from news.models import Subscriber

    token = token.replace("/", "") or "x"
    before = list(Subscriber.objects.values_list("pk", "confirmed_at"))
    for method in ("get", "post", "head"):
        response = getattr(visitor, method)(reverse(f"news:{which}", args=[token]))
        assert response.status_code < 500
    assert list(Subscriber.objects.values_list("pk", "confirmed_at")) == before


@pytest.mark.parametrize(
    "payload", [[10**30, "nonce", "confirm"], [1, "no\x00nce", "confirm"], ["x", 1, "confirm"], "text"]
)
def test_an_alert_token_signed_with_the_real_key_but_impossible_is_refused(visitor, db, payload):
    from news.tokens import TOKEN_SALT

    token = signing.dumps(payload, salt=TOKEN_SALT, compress=False)
    for which in ("confirm", "unsubscribe"):
        for method in ("get", "post"):
            response = getattr(visitor, method)(reverse(f"news:{which}", args=[token]))
            assert 400 <= response.status_code < 500, (payload, which, method)
