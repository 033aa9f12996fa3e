"""In Chromium: import a member list, watch its jobs reach 100 %, open the dashboard, download the
members as XLSX and the report as PDF, and read them back."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from abwab.people.models import Person
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CSV = (
    "prénom,nom,الاسم,النسب,sexe,date de naissance,cin,commune\n"
    + "".join(
        f"Prenom{i},Bennani,,بناني,{'F' if i % 2 else 'M'},1990-02-{i + 1:02d},BR{100000 + i},03.531.01.05\n"
        for i in range(8)
    )
    + ",,,,F,1990-01-01,,03.531.01.05\n"
)


def test_import_then_dashboard_then_downloads(
    page, transactional_territory, actors, places, tmp_path
):
    log_in(page, "taounate")
    page.goto(page.base_url + "/people/imports/")
    page.select_option("#id_territory", "03.531")
    source = tmp_path / "adherents.csv"
    source.write_text(CSV, encoding="utf-8")
    page.set_input_files("#id_file", str(source))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/people/imports/\d+/"))
    page.click("button[value=check]")
    page.wait_for_url(re.compile(r"/jobs/\d+/"))
    page.locator("progress[value='100']").wait_for()
    assert "100%" in page.locator(".percent").inner_text()
    page.click(".job a.button")
    assert (
        page.locator("#count-pending").inner_text() == "8"
        and page.locator("#count-invalid").inner_text() == "1"
    )
    page.click("button[value=import]")
    page.locator("progress[value='100']").wait_for()
    screenshot(page, "import-done")
    assert Person.objects.filter(cin__startswith="BR").count() == 8

    page.goto(page.base_url + "/dashboard/")
    assert page.locator("svg.chart").count() >= 3
    screenshot(page, "dashboard-ar")
    page.click("#members-export")
    page.fill("#id_reason", "contrôle de l'import")
    page.select_option("#id_format", "xlsx")
    with page.expect_download() as download:
        page.click("main form button[type=submit]")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    names = {row[3] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert {"Bennani", "person-taounate_a"} <= names and "person-meknes" not in names

    pdf = page.request.get(page.base_url + "/dashboard/report.pdf?territory=03.531")
    assert pdf.headers["content-type"] == "application/pdf"
    words = set("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    assert {"تاونات", "الأعضاء"} <= words
