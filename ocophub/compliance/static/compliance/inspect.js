// The inspection form's position: asks the browser (Geolocation) when the inspector
// taps the button, and puts latitude, longitude and accuracy in the form's hidden
// fields; the server checks them. Messages come translated in the box's data-label-*.
(function () {
  "use strict";
  var box = document.getElementById("position");
  if (!box) { return; }
  var form = box.closest("form");
  var lat = form.querySelector("input[name=latitude]");
  var lon = form.querySelector("input[name=longitude]");
  var acc = form.querySelector("input[name=accuracy_m]");
  var out = box.querySelector("output");
  var button = box.querySelector("button");

  function say(state, text) {
    box.setAttribute("data-state", state);
    out.textContent = text;
  }

  function located() {
    say("located", box.getAttribute("data-label-located")
      .replace("{lat}", lat.value).replace("{lon}", lon.value)
      .replace("{acc}", acc.value || "?"));
  }

  if (lat.value && lon.value) { located(); }  // kept from a form sent back with errors

  if (!("geolocation" in navigator)) {
    say("unavailable", box.getAttribute("data-label-unavailable"));
    button.hidden = true;
    return;
  }
  button.addEventListener("click", function () {
    say("locating", box.getAttribute("data-label-locating"));
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      acc.value = Math.round(position.coords.accuracy);
      located();
    }, function (error) {
      var denied = error.code === error.PERMISSION_DENIED;
      say("failed", box.getAttribute(denied ? "data-label-denied" : "data-label-failed"));
    }, {enableHighAccuracy: true, timeout: 30000, maximumAge: 60000});
  });
}());
