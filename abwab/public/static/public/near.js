// "Offices near me": ask the browser for its position only when the visitor taps, then open the
// list sorted by distance. Without JavaScript (or without permission) the link opens the page that
// explains and offers the search by name.
(function () {
  var link = document.getElementById("near-me");
  if (!link || !navigator.geolocation) return;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var url = new URL(link.href, location.href);
        url.searchParams.set("lat", pos.coords.latitude.toFixed(4));
        url.searchParams.set("lon", pos.coords.longitude.toFixed(4));
        location.href = url.toString();
      },
      function () {
        var p = document.createElement("p");
        p.className = "note";
        p.textContent = link.dataset.denied;
        link.parentNode.after(p);
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
