"""Posters to print, texts to share, and the campaign's documents to read (no login)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@require_GET
def poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@require_GET
def share(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404


@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    raise Http404


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
