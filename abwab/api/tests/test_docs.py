"""The API's documentation page needs nothing from outside the site and keeps the site's CSP."""

import re

from django.contrib.staticfiles import finders

from abwab.core.security import CSP


def test_the_docs_page_loads_only_from_the_site_under_the_csp(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP
    sources = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert not re.search(r"https?://", html)
    assert "<script>" not in html  # no inline script: the CSP would refuse it
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
