"""A likely address for a slip in a common mail domain (…@gmial.com → …@gmail.com), as
mailcheck.js does it: the typed domain against a list of the domains our supporters use,
by edit distance. No network lookup: a domain's MX record would only tell us that a
squatter's gmial.com takes mail.

The list is ours to keep, short and in the code: the big international providers and the
ones used in Russia, Kazakhstan, Ukraine and the countries of the campaign's unions. A
domain on the list is never "corrected"; one that is near none of them is left alone. It
is only a suggestion: the person chooses, and can keep what they typed.
"""

import functools

DOMAINS = frozenset(
    {
        # International
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com",
        "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me", "pm.me",
        "zoho.com", "gmx.com", "gmx.net", "mail.com", "fastmail.com", "tutanota.com", "riseup.net",
        "posteo.de", "hushmail.com",
        # Russia, Kazakhstan, Ukraine, Belarus
        "mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "yandex.ru", "yandex.kz", "yandex.com",
        "ya.ru", "rambler.ru", "mail.kz", "inbox.kz", "ukr.net", "i.ua", "meta.ua", "tut.by",
        # The United Kingdom and Ireland
        "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "yahoo.co.uk", "hotmail.co.uk",
        "live.co.uk", "outlook.ie", "eircom.net", "ntlworld.com", "blueyonder.co.uk",
        # Elsewhere in Europe and North America
        "web.de", "gmx.de", "t-online.de", "freenet.de", "orange.fr", "free.fr", "laposte.net", "sfr.fr",
        "wanadoo.fr", "hotmail.fr", "yahoo.fr", "libero.it", "virgilio.it", "tiscali.it", "telenet.be",
        "skynet.be", "ziggo.nl", "xs4all.nl", "kpnmail.nl", "telia.com", "seznam.cz", "wp.pl", "o2.pl",
        "onet.pl", "interia.pl", "abv.bg", "comcast.net", "verizon.net", "att.net", "sbcglobal.net",
        "shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com", "optusnet.com.au", "xtra.co.nz",
    }
)  # fmt: skip


def distance(a, b):
    """Damerau-Levenshtein (optimal string alignment): a swap of two neighbours (gmial) is
    one slip, as it is one slip of the fingers."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


@functools.lru_cache(maxsize=1024)
def suggest_domain(domain):
    """The listed domain `domain` is most likely a slip for, or None."""
    domain = domain.strip().lower().rstrip(".")
    if not domain or domain in DOMAINS:
        return None
    # One slip in a short domain (bk.ru, i.ua), two in a longer one; a tie means no guess.
    allowed = 1 if len(domain) <= 7 else 2
    best, best_distance, tie = None, allowed + 1, False
    for known in DOMAINS:
        if abs(len(known) - len(domain)) > allowed:
            continue
        d = distance(domain, known)
        if d < best_distance:
            best, best_distance, tie = known, d, False
        elif d == best_distance:
            tie = True
    return None if tie else best


def suggest(address):
    """The address `address` was most likely meant to be, or None: only the domain is
    changed, the part before the @ is kept exactly as typed."""
    local, at, domain = (address or "").rpartition("@")
    if not at or not local:
        return None
    suggestion = suggest_domain(domain)
    return f"{local}@{suggestion}" if suggestion else None
