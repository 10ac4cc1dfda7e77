"""Every kind of public page, in one place: each is checked with axe-core at phone and
desktop widths, and the light ones are weighed against the budget.

When a feature adds a kind of public page (an appeal, its letter, a petition, the
"check your email" page...), add a line here with a path the demo content provides.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicPage:
    kind: str  # names the test case: test_...[case page-phone]
    path: str  # served once the demo content is loaded
    status: int = 200
    light: bool = True  # held to 150 KB and 10 requests (pages without photos)

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
    # When appeals land:    PublicPage("appeal", "/appeals/<demo slug>/"), its letter and printable letter.
    # When petitions land:  PublicPage("petition", "/petitions/<demo slug>/"), "check your email",
    #                       the confirmation page and the confirmed page.
]

LIGHT_PAGES = [page for page in PUBLIC_PAGES if page.light]
