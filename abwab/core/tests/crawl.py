"""The browser crawl's checks: which links to follow, how URLs are grouped into pages, and the
reader of visible text that finds untranslated codes. Pure functions here; the browser part
(collecting texts and measures in the page) is the JavaScript below, run by test_crawl_browser."""

import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

AXE = Path(__file__).resolve().parents[1] / "static" / "abwab" / "vendor" / "axe.min.js"
AXE_URL = "/static/abwab/vendor/axe.min.js"

# Followed for their status only, never rendered: files, and the admin (its own look, staff only).
DOWNLOAD = re.compile(r"(\.(pdf|ics|csv|xlsx|js|json|png)$)|/export/")
NOT_FOLLOWED = ("/i18n/", "/accounts/logout/", "/static/", "/media/")


def url_pattern(url: str) -> str:
    """URLs that differ only by ids count once: /people/12/ and /people/13/ are `/people/<n>/`;
    query strings by their keys (`?territory=03` and `?territory=02` are one page)."""
    parts = urlsplit(url)
    path = re.sub(r"(?<=/)\d+(?=[/.]|$)", "<n>", parts.path)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + (("?" + "&".join(keys)) if keys else "")


def rendered(path: str) -> bool:
    """Whether the crawl opens this path as a page (files and the admin get a status check)."""
    return not DOWNLOAD.search(urlsplit(path).path) and not path.startswith("/admin/")


def followed(url: str, origin: str) -> bool:
    if not url.startswith(origin):
        return False
    path = urlsplit(url).path
    return not any(path.startswith(prefix) for prefix in NOT_FOLLOWED)


# --- untranslated codes ----------------------------------------------------------------------

# snake_case words (`first_name_ar`, `read_list`), not inside a file name or a hyphenated word.
SNAKE = re.compile(r"(?<![\w@/.\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/\-]|\.\w)")
# dotted model or job names (`people.dedupe`, `people.Person`), not file names or web addresses.
DOTTED = re.compile(r"(?<![\w@/.\-])([a-z]+)\.([A-Za-z][A-Za-z_]+)(?![\w@/\-]|\.\w)")
NOT_MODEL_SUFFIXES = {"pdf", "csv", "xlsx", "ics", "png", "jpg", "jpeg", "txt", "js", "html"}
NOT_MODEL_PREFIXES = {"www", "e", "i", "p", "n", "m", "mme", "mlle", "etc", "av", "bd"}
ARABIC = re.compile(r"[\u0600-\u06ff]")


@cache
def catalogue(language: str) -> dict[str, str]:
    """The compiled catalogue of a language: msgid -> translation (plural forms left out)."""
    from django.utils.translation import trans_real

    return {
        key: value
        for key, value in trans_real.translation(language)._catalog.items()
        if isinstance(key, str) and isinstance(value, str)
    }


@cache
def foreign_texts(language: str) -> frozenset[str]:
    """Texts that betray a missing translation on a page in `language`: the English msgids that
    have a different translation in it, and the other language's translations of them."""
    other = "fr" if language == "ar" else "ar"
    own, theirs = catalogue(language), catalogue(other)
    texts = set()
    for msgid, translation in own.items():
        if not msgid or translation == msgid or "%" in msgid or "{" in msgid:
            continue
        if len(msgid) >= 4 and re.search(r"[A-Za-z]{3}", msgid):
            texts.add(msgid)
        foreign = theirs.get(msgid)
        if foreign and foreign != translation and len(foreign) >= 3:
            if language == "fr" and ARABIC.search(foreign) or language == "ar":
                texts.add(foreign)
    return frozenset(texts)


def untranslated_codes(texts: list[str], language: str) -> list[str]:
    """The visible texts of a page (one string per text node) that show a code instead of words:
    snake_case, a dotted model/job name, or a message left in English or in the other language."""
    foreign = foreign_texts(language)
    found = []
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        if text in foreign or text.rstrip(" :") in foreign:
            found.append(text)
            continue
        found.extend(match.group(0) for match in SNAKE.finditer(text))
        for match in DOTTED.finditer(text):
            prefix, suffix = match.groups()
            if suffix.lower() in NOT_MODEL_SUFFIXES or prefix in NOT_MODEL_PREFIXES:
                continue
            found.append(match.group(0))
    return found


# --- measures taken in the page --------------------------------------------------------------

# The own text of every visible text node, the visible links, the page's overflow and the inputs
# whose number (digits, separators) does not fit.
MEASURE = r"""() => {
  const visible = (el) => !!el && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
    // A text marked as another language on purpose (the language switch) is not a missed one.
    if (parent.closest('[lang]') !== document.documentElement) continue;
    if (node.textContent.trim() && visible(parent)) texts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('input[placeholder], [aria-label], img[alt]')) {
    if (!visible(el)) continue;
    for (const attr of ['placeholder', 'aria-label', 'alt']) {
      if (el.getAttribute(attr)) texts.push(el.getAttribute(attr));
    }
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    if (visible(el) && el.value) texts.push(el.value);
  }
  const links = [...document.querySelectorAll('a[href]')]
    .filter((a) => visible(a) || a.closest('nav'))
    .map((a) => a.href.split('#')[0]);
  const menu = [...document.querySelectorAll('header a[href]')].map((a) => a.href.split('#')[0]);
  const skip = ['hidden', 'checkbox', 'radio', 'submit', 'button', 'file', 'image', 'color', 'range'];
  const cut = [...document.querySelectorAll('input, textarea')]
    .filter((i) => !skip.includes(i.type) && /^[\s\d٠-٩.,:+\-\/]+$/.test(i.value) && /\d/.test(i.value))
    .filter((i) => visible(i) && i.scrollWidth > i.clientWidth)
    .map((i) => `${i.name || i.id}=${i.value} (${i.scrollWidth}>${i.clientWidth})`);
  const scroller = document.scrollingElement;
  return {texts, links, menu, cut, scrollWidth: scroller.scrollWidth, width: window.innerWidth};
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes[0].target.join(' ')}`);
}"""
