"""Membership cards: the sheet's geometry (ID-1 cards, ten per A4, crop marks, no overlap), the PDF
read back, the background job with its progress and file, and who may print or download."""

import io
from itertools import combinations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from abwab.core.models import AuditEntry, Job, JobStatus
from abwab.people import cards, cards_job
from abwab.people.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Card,
    cards_pdf,
    crop_marks,
    sheet_layout,
)
from abwab.people.cards_job import KIND

PT = 25.4 / 72  # millimetres per PDF point


def synthetic_cards(count: int) -> list[Card]:
    return [
        Card(
            name_ar="سعاد العلوي",
            name_latin=f"Souad El Alaoui {index}",
            number=f"03-2026-{index:06d}",
            region_ar="جهة فاس - مكناس",
            region_fr="Fès-Meknès",
            link=f"https://abwab.example/people/{index}/",
        )
        for index in range(count)
    ]


def test_the_sheet_holds_ten_id1_cards_per_a4_page_without_overlap():
    boxes = sheet_layout(23)
    assert [sum(1 for box in boxes if box.page == page) for page in range(3)] == [10, 10, 3]
    for box in boxes:
        assert (box.width, box.height) == (85.6, 54.0)
        assert 0 < box.x and box.x + box.width < PAGE_WIDTH
        assert 0 < box.y and box.y + box.height < PAGE_HEIGHT
    assert not [(a, b) for a, b in combinations(boxes, 2) if a.overlaps(b)]
    # Two columns of five; the first card top right (the reading order of an Arabic page).
    first_page = boxes[:10]
    assert len({box.x for box in first_page}) == 2 and len({box.y for box in first_page}) == 5
    assert boxes[0].x > boxes[1].x and boxes[0].y == boxes[1].y
    # Rows touch (one cut serves two cards); the columns are 10 mm apart; the sheet is centred.
    assert boxes[2].y == boxes[0].y + CARD_HEIGHT
    assert boxes[0].x - (boxes[1].x + CARD_WIDTH) == pytest.approx(10.0)
    assert boxes[1].x == pytest.approx(PAGE_WIDTH - boxes[0].x - CARD_WIDTH)
    assert boxes[0].y == pytest.approx(13.5)


def test_crop_marks_sit_on_the_cut_lines_and_never_on_a_card():
    boxes = sheet_layout(10)
    cut_xs = {round(x, 3) for box in boxes for x in (box.x, box.x + box.width)}
    cut_ys = {round(y, 3) for box in boxes for y in (box.y, box.y + box.height)}
    marks = crop_marks()
    assert len(marks) == 4 * 2 + 6 * 4  # each vertical cut above and below; each row line 4 times
    for x1, y1, x2, y2 in marks:
        assert 0 <= min(x1, x2) and max(x1, x2) <= PAGE_WIDTH
        assert 0 <= min(y1, y2) and max(y1, y2) <= PAGE_HEIGHT
        if x1 == x2:
            assert round(x1, 3) in cut_xs
        else:
            assert y1 == y2 and round(y1, 3) in cut_ys
        for box in boxes:  # no point of a mark inside a card
            for t in (0, 0.25, 0.5, 0.75, 1):
                x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
                assert not (box.x < x < box.x + box.width and box.y < y < box.y + box.height)


def _texts(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of each run of a page, in mm from the top-left corner."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x * PT, (height - y) * PT))

    page.extract_text(visitor_text=visit)
    return found


def test_the_pdf_has_a4_pages_and_each_card_inside_its_place():
    count = 23
    pdf = cards_pdf(synthetic_cards(count))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    boxes = sheet_layout(count)
    seen = []
    for number, page in enumerate(reader.pages):
        assert float(page.mediabox.width) * PT == pytest.approx(PAGE_WIDTH, abs=0.1)
        assert float(page.mediabox.height) * PT == pytest.approx(PAGE_HEIGHT, abs=0.1)
        for text, x, y in _texts(page):
            if text.startswith("03-2026-"):  # the card number: isolated, left to right, whole
                index = int(text.removeprefix("03-2026-"))
                box = boxes[index]
                assert box.page == number
                assert box.x < x < box.x + box.width and box.y < y < box.y + box.height
                seen.append(index)
        words = set(page.extract_text().split())
        assert {"سعاد", "العلوي", "فاس", "مكناس"} <= words  # Arabic kept as words, not reversed
    assert sorted(seen) == list(range(count))


def test_400_cards_are_laid_out_in_chunks_with_progress(monkeypatch):
    monkeypatch.setattr(cards, "CHUNK", 20)
    calls = []
    pdf = cards_pdf(synthetic_cards(45), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(20, 45), (40, 45), (45, 45)]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 5


def test_a_card_without_an_arabic_name_shows_the_latin_one_once():
    card = Card("", "Karim Bennani", "01-2026-000007", "", "", "https://abwab.example/people/7/")
    text = PdfReader(io.BytesIO(cards_pdf([card]))).pages[0].extract_text()
    assert text.count("Karim Bennani") == 1 and "01-2026-000007" in text


# The job, its file and who may reach them.


def start(client, data=None, query=""):
    return client.post(reverse("people:cards_print") + query, data or {})


@pytest.mark.django_db
def test_printing_a_list_runs_a_job_to_100_percent_and_offers_the_sheet(
    client, actors, places, django_capture_on_commit_callbacks
):
    client.force_login(actors.taounate)
    page = client.get(reverse("people:cards_print"))
    assert page.status_code == 200 and page.context["count"] == 2  # taounate_a and taounate_b
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client)
    job = Job.objects.get(kind=KIND)
    assert response.status_code == 302 and response.url == reverse("core:job", args=[job.pk])
    assert (job.status, job.percent, job.done, job.total) == (JobStatus.DONE, 100, 2, 2)
    assert job.territory.code == places["taounate_a"].node.parent.code  # the province above both
    assert job.result["cards"] == 2 and job.result["pages"] == 1
    progress = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"})
    link = reverse("people:cards_file", args=[job.pk])
    assert link in progress.content.decode()
    download = client.get(link)
    assert download["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = reader.pages[0].extract_text()
    assert {"person-taounate_a", "person-taounate_b"} <= set(text.split())
    assert places["taounate_a"].membership.card_number in text
    assert AuditEntry.objects.filter(action="export", actor=actors.taounate, count=2).exists()


@pytest.mark.django_db
def test_the_list_filters_choose_the_cards(
    client, actors, places, django_capture_on_commit_callbacks
):
    client.force_login(actors.fes_meknes)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, query="?q=person-meknes")
    job = Job.objects.get(kind=KIND)
    assert job.params["memberships"] == [places["meknes"].membership.pk]
    assert job.territory == places["meknes"].node  # the sheet sits where its one card is


@pytest.mark.django_db
def test_an_account_keeps_only_its_latest_sheets(
    client, actors, places, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(cards_job, "KEEP", 2)
    client.force_login(actors.taounate)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            start(client)
    first, second, third = Job.objects.filter(kind=KIND).order_by("pk")
    assert "file" not in first.result and "link" not in first.result
    assert not default_storage.exists(f"cards/job-{first.pk}.pdf")
    assert client.get(reverse("people:cards_file", args=[first.pk])).status_code == 404
    for kept in (second, third):
        assert default_storage.exists(kept.result["file"])
        assert client.get(reverse("people:cards_file", args=[kept.pk])).status_code == 200


@pytest.mark.django_db
def test_another_territory_cannot_download_the_sheet(
    client, actors, places, django_capture_on_commit_callbacks
):
    client.force_login(actors.fes_meknes)
    with django_capture_on_commit_callbacks(execute=True):
        start(client)  # the region: Taounate's and Meknès's members on one sheet
    job = Job.objects.get(kind=KIND)
    link = reverse("people:cards_file", args=[job.pk])
    assert client.get(link).status_code == 200
    for other in ("taounate", "meknes", "volunteer", "media", "outsider"):
        client.force_login(getattr(actors, other))  # covers part of the sheet, or none of it
        assert client.get(link).status_code == 404, other
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 404, other
    assert not AuditEntry.objects.filter(action="export", actor=actors.meknes).exists()


@pytest.mark.django_db
def test_person_ids_from_another_territory_are_refused(
    client, actors, places, django_capture_on_commit_callbacks
):
    client.force_login(actors.taounate)
    mine, theirs = places["taounate_a"].person.pk, places["meknes"].person.pk
    with django_capture_on_commit_callbacks(execute=True):
        assert start(client, {"person": [mine, theirs]}).status_code == 404
        assert start(client, {"person": [theirs]}).status_code == 404
        assert start(client, {"person": ["x"]}).status_code == 404
        assert start(client, {"person": [2**70]}).status_code == 404
    assert not Job.objects.filter(kind=KIND).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert start(client, {"person": [mine]}).status_code == 302
    job = Job.objects.get(kind=KIND)
    assert job.params["memberships"] == [places["taounate_a"].membership.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", ["volunteer", "media", "auditor", "outsider"])
def test_only_secretaries_print_a_list(client, actors, places, actor_name):
    client.force_login(getattr(actors, actor_name))
    assert client.get(reverse("people:cards_print")).status_code == 404
    assert start(client).status_code == 404
    assert not Job.objects.filter(kind=KIND).exists()


@pytest.mark.django_db
def test_an_empty_list_says_so_and_queues_nothing(client, actors, places):
    client.force_login(actors.taounate)
    response = start(client, query="?q=nobody-by-that-name")
    assert response.status_code == 200 and response.context["count"] == 0
    assert not Job.objects.filter(kind=KIND).exists()


@pytest.mark.django_db
def test_the_door_card_qr_is_an_image_with_a_name(client, actors, places):
    """axe-core: aria-label is prohibited on a plain <div>; with role="img" it names the image."""
    client.force_login(actors.taounate)
    membership = places["taounate_a"].membership
    html = client.get(reverse("campaigns:card", args=[membership.pk])).content.decode()
    assert '<div class="qr" role="img" aria-label="' in html
