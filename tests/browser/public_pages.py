"""Every kind of public page, in one place: each is checked with axe-core at phone and
desktop widths, and the light ones are weighed against the budget.

When a feature adds a kind of public page (an appeal, its letter, a petition, the
"check your email" page...), add a line here with a path the demo content provides.
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class PublicPage:
    kind: str  # names the test case: test_...[case page-phone]
    path: str  # served once the demo content is loaded
    status: int = 200
    light: bool = True  # held to 150 KB and 10 requests (pages without photos)
    framed: bool = False  # made to be shown inside other sites' pages: no site header of ours

    def __str__(self):
        return self.kind


PUBLIC_PAGES = [
    PublicPage("home", "/"),
    PublicPage("prisoner list", "/prisoners/"),
    PublicPage("prisoner list filtered", "/prisoners/?status=released"),
    PublicPage("case page", "/prisoners/roza-tuletaeva/"),
    PublicPage("case page of someone held", "/prisoners/vadim-kuramshin/"),
    PublicPage("page not found", "/prisoners/no-such-case/", status=404),
    PublicPage("page not found outside any section", "/no-such-page/", status=404),
    PublicPage("appeal list", "/appeals/"),
    PublicPage("appeal", "/appeals/oil-workers-model-letter-of-protest/"),
    PublicPage("closed appeal", "/appeals/hands-off-roza-tuletaeva/"),
    PublicPage("embassy directory", "/appeals/embassies/"),
    PublicPage("embassy directory for one country", "/appeals/embassies/?country=GB"),
    PublicPage("embassy directory for a country served from abroad", "/appeals/embassies/?country=IE"),
    PublicPage("more ways to act", "/act/"),
    PublicPage("days of action", "/events/"),
    PublicPage("proposing a day of action", "/events/propose/"),
    # An appeal's letter and printable letter answer a POST only: journey 1 reaches them.
    PublicPage("petition list", "/petitions/"),
    PublicPage("petition", "/petitions/kazminerals-workers-demands/"),
    PublicPage("petition signers", "/petitions/kazminerals-workers-demands/signers/"),
    PublicPage("check your email", "/petitions/kazminerals-workers-demands/check-your-email/"),
    PublicPage("petition link that does not work", "/petitions/confirm/not-a-real-link/", status=400),
    # The confirmation and withdrawal pages need a signature's token: the tests that
    # check them make one (test_public_pages_pass_axe..., journey 2).
    # The petition as other sites show it, in an <iframe> (test_the_petition_embeds_on_another_site.py
    # frames it from another origin and holds it to 30 KB).
    PublicPage("petition embedded", "/petitions/kazminerals-workers-demands/embed/", framed=True),
    PublicPage("petition embedded as a button", "/petitions/kazminerals-workers-demands/embed/?form=0", framed=True),
    PublicPage(
        "petition embedded, check your email",
        "/petitions/kazminerals-workers-demands/embed/check-your-email/",
        framed=True,
    ),
]

# English at the root, Russian under /ru/, Kazakh under /kk/ (docs/translation.md).
LANGUAGES = ["en", "ru", "kk"]


def in_language(page, language):
    if language == "en":
        return page
    return replace(page, kind=f"{page.kind} ({language})", path=f"/{language}{page.path}")


# Every page in every language: each is checked with axe and weighed in each.
PUBLIC_PAGES_IN_EVERY_LANGUAGE = [in_language(page, language) for language in LANGUAGES for page in PUBLIC_PAGES]
LIGHT_PAGES = [page for page in PUBLIC_PAGES_IN_EVERY_LANGUAGE if page.light]
