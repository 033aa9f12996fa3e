/* The share page's copy button (part POSTERS of issue 19). Without JavaScript the button stays
   hidden and the text is selected by hand. */
(function () {
  var button = document.getElementById("share-copy");
  var area = document.getElementById("share-text");
  if (!button || !area) return;
  button.hidden = false;
  area.addEventListener("focus", function () { area.select(); });
  button.addEventListener("click", function () {
    var label = button.textContent;
    function done() {
      button.textContent = button.getAttribute("data-done");
      setTimeout(function () { button.textContent = label; }, 2000);
    }
    area.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
