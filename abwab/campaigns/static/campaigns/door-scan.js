// The door desk's receipt field: a scanner types into it like a keyboard; where the browser can
// read QR codes (BarcodeDetector, Chromium), a button also reads the citizen's receipt with the
// camera and sends it. Without either, typing the number always works.
(function () {
  "use strict";
  var form = document.getElementById("receipt-form");
  var button = document.getElementById("receipt-camera");
  var video = document.getElementById("receipt-video");
  if (!form || !button || !video) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var input = form.querySelector("input[name=code]");
  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) return;
    button.hidden = false;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var stream = null;
    function stop() {
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.hidden = true;
    }
    function scan() {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        if (codes.length && codes[0].rawValue) {
          stop();
          input.value = codes[0].rawValue;
          form.requestSubmit();
        } else {
          window.setTimeout(scan, 200);
        }
      }, function () { window.setTimeout(scan, 400); });
    }
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          return video.play();
        })
        .then(scan, function () { stop(); input.focus(); });
    });
  }, function () { /* no formats: typing works */ });
})();
