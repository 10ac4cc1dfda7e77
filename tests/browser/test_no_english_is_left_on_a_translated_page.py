"""A Russian or Kazakh page shows no English, except where it says so.

The visible text is collected in the browser, leaving out what carries a lang of its own
(the language switcher's "English", a case text not translated yet, which also says so).
What is left must have no English word, apart from proper names and the campaign's
addresses kept in Latin letters (the glossary's list)."""

import re

import pytest

from .public_pages import PUBLIC_PAGES, in_language

pytestmark = pytest.mark.browser

# Names kept as written in every language (research/GLOSSARY.md), and parts of addresses.
# "cookie" is the word Russian and Kazakh use too (the translator kept it). The share links
# name the services as they name themselves, and Atom is the feeds' format.
KEPT_IN_LATIN = {"KazMinerals", "plc", "Campaign", "Kazakhstan", "GUE", "NGL", "PDF", "CSV", "QR", "email", "cookie"}
KEPT_IN_LATIN |= {"Telegram", "WhatsApp", "Facebook", "X", "Twitter", "Atom", "QR-"}
# Titles of the publications the "More ways to act" page quotes, and the London address of a
# protest it names, as the documents write them.
KEPT_IN_LATIN |= {"Socialism", "Today", "People", "Nature", "Pussy", "Riot", "South", "Audley", "Street", "Mayfair"}
KEPT_IN_LATIN |= {"London"}
# Organisations that write their names in Latin letters in every language (locale/GLOSSARY.md).
KEPT_IN_LATIN |= {"LabourStart"}
# Time zones as the IANA database names them (the events' zones, and the examples beside the
# list they are chosen from), and iCalendar, the calendar files' format, named as Atom is.
KEPT_IN_LATIN |= {"Europe", "Asia", "Almaty", "Moscow", "iCalendar"}

VISIBLE_TEXT_IN_PAGE_LANGUAGE = """
() => {
  const pageLanguage = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    if (element.closest('script, style, noscript, option, [hidden], [aria-hidden=true]')) continue;
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const marked = element.closest('[lang]');
    if (marked && marked.lang !== pageLanguage) continue;
    texts.push(node.textContent.trim());
  }
  for (const element of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
    const marked = element.closest('[lang]');
    if (marked && marked.lang !== pageLanguage) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      if (element.getAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  return texts;
}
"""


def english_words(texts):
    words = []
    for text in texts:
        # Addresses: email, web (with or without the scheme: a source shown as its host name).
        text = re.sub(r"\S+@\S+|https?://\S+|\S+\.(?:pdf|txt|json)\b|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b\S*", " ", text)
        words += [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]+", text) if w not in KEPT_IN_LATIN]
    return words


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=str)
def test_a_translated_page_shows_no_english(public_page, language, page, demo_content):
    public_page = in_language(public_page, language)
    response = page.goto(public_page.path)
    assert response.status == public_page.status
    assert page.evaluate("() => document.documentElement.lang") == language
    found = english_words(page.evaluate(VISIBLE_TEXT_IN_PAGE_LANGUAGE))
    assert not found, f"English on {public_page.path}: {sorted(set(found))}"
