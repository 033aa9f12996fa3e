"""In Chromium, in Arabic: the desk reads a receipt's QR code with the camera where the browser can
(BarcodeDetector), and the visit is recorded once however often it is read.

Debian's Chromium has no barcode reader on Linux and the test machine no camera, so both are stood
in for by the page's own APIs: a detector that reads what the citizen's QR code holds (the
receipt's address) and a camera that films a blank canvas. What is tested is the desk's part:
the button appears only when a reader exists, what it reads is sent, and the desk recognises it."""

import re

import pytest

from abwab.campaigns.models import CheckIn, PreRegistration, PreRegistrationStatus
from abwab.campaigns.tests.test_prereg import make_prereg, open_today, visits
from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMERA_AND_READER = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  constructor(options) { this.formats = options.formats; }
  async detect(video) {
    return video.readyState >= 2 && window.__qr ? [{ rawValue: window.__qr, format: "qr_code" }] : [];
  }
};
const camera = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const paint = () => canvas.getContext("2d").fillRect(0, 0, 64, 64);
  paint();
  setInterval(paint, 100);
  return canvas.captureStream(10);
};
if (navigator.mediaDevices) { navigator.mediaDevices.getUserMedia = camera; }
else { Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia: camera } }); }
"""


def test_without_a_reader_the_camera_button_stays_hidden_and_typing_works(
    page, transactional_territory, places, actors
):
    place = places["taounate_a"]
    event = open_today(place.event)
    make_prereg(event, "TYPE-0001", name="Karim Tazi")
    before = visits(place)
    log_in(page, "volunteer")
    page.goto(page.base_url + f"/campaigns/events/{event.pk}/door/")
    assert page.locator("#receipt-camera").is_hidden()
    page.fill("#receipt-code", "type-0001")
    page.locator("#receipt-form button[type=submit]").click()
    page.wait_for_load_state()
    assert PreRegistration.objects.get(code="TYPE-0001").status == PreRegistrationStatus.ARRIVED
    assert visits(place) == before + 1


def test_the_camera_reads_the_receipt_and_a_second_reading_changes_nothing(
    page, transactional_territory, places, actors
):
    place = places["taounate_a"]
    event = open_today(place.event)
    make_prereg(event, "SCAN-0001", name="Karim Tazi")
    before = visits(place)
    page.add_init_script(CAMERA_AND_READER)
    log_in(page, "volunteer")
    for _reading in range(2):
        page.goto(page.base_url + f"/campaigns/events/{event.pk}/door/")
        page.evaluate(
            "url => { window.__qr = url; }", f"{page.base_url}/open-doors/receipt/SCAN-0001/"
        )
        button = page.locator("#receipt-camera")
        button.wait_for(state="visible")
        with page.expect_navigation(url=re.compile(rf"/campaigns/events/{event.pk}/door/")):
            button.click()
        assert "Karim Tazi" in page.locator(".messages").inner_text()
    assert CheckIn.objects.filter(event=event, name="Karim Tazi").count() == 1
    assert PreRegistration.objects.get(code="SCAN-0001").status == PreRegistrationStatus.ARRIVED
    assert visits(place) == before + 1
