/* Drawing a growing area's boundary (Leaflet with Leaflet.Editable, vendored), on the
   boundary page of an area and on the page registering a new one (both include
   templates/compliance/_boundary_editor.html): the boundary in the form's GeoJSON
   field, if any, is drawn and can be reshaped by dragging its points; "Draw anew"
   starts a polygon tapped corner by corner, or walked (a point where the phone
   stands); each change writes the GeoJSON back into the field, which the server checks
   and measures. The other areas in the user's scope (all of them for a new area, with
   no data-code) are drawn in grey, so an overlap shows before the server refuses it.
   Words come translated in data-label-* (no inline script). */
(function () {
  "use strict";
  var element = document.getElementById("boundary-map");
  if (!element || !window.L || !L.Editable) { return; }
  var d = element.dataset;
  var field = document.getElementById("id_geometry");
  var status = document.getElementById("boundary-status");
  var HOA_BINH = [20.7, 105.35];
  var map = L.map(element, { editable: true });
  // The zoom in an attribute, for whoever waits for the map to settle (the tests).
  map.on("zoomend", function () { element.setAttribute("data-zoom", String(map.getZoom())); });
  if (d.tiles) {
    L.tileLayer(d.tiles, { attribution: d.attribution || "", maxZoom: 20 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  var shape = null;

  function count(latlngs) {
    if (!latlngs) { return 0; }
    if (latlngs.lat !== undefined) { return 1; }
    return latlngs.reduce(function (n, item) { return n + count(item); }, 0);
  }

  function write() {
    var n = shape ? count(shape.getLatLngs()) : 0;
    field.value = n >= 3 ? JSON.stringify(shape.toGeoJSON(7).geometry) : "";
    element.setAttribute("data-vertices", String(n));
    status.textContent = n >= 3 ? d.labelPoints.replace("{n}", n) : (n ? d.labelFew : "");
  }

  function show(geometry) {
    var layer = L.GeoJSON.geometryToLayer({ type: "Feature", geometry: geometry });
    // The view first: the map is ready (and has its editTools) once it has one.
    map.fitBounds(layer.getBounds(), { maxZoom: 18, padding: [20, 20] });
    shape = layer.addTo(map);
    shape.enableEdit(map);
  }

  function drawAnew(latlng) {
    if (shape) { shape.remove(); }
    shape = map.editTools.startPolygon(latlng);
    element.setAttribute("data-state", "drawing");
    write();
  }

  var actions = {
    draw: function () { drawAnew(); },
    undo: function () {
      if (shape && shape.editor && shape.editor.drawing()) { shape.editor.pop(); }
      write();
    },
    finish: function () {
      map.editTools.commitDrawing();
      element.setAttribute("data-state", "drawn");
      write();
    },
    here: function () {
      if (!("geolocation" in navigator)) { status.textContent = d.labelNoPosition; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        if (shape && shape.editor && shape.editor.drawing()) {
          shape.editor.newPointForward(latlng);
        } else {
          drawAnew(latlng);
        }
        map.setView(latlng, Math.max(map.getZoom(), 17));
        write();
      }, function () { status.textContent = d.labelNoPosition; },
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 });
    },
  };
  document.querySelectorAll(".boundary-tools [data-action]").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.getAttribute("data-action")](); });
  });
  map.on("editable:drawing:clicked editable:vertex:dragend editable:vertex:deleted " +
         "editable:drawing:commit editable:editing", write);

  var start = null;
  try { start = field.value ? JSON.parse(field.value) : null; } catch (e) { start = null; }
  if (start && (start.type === "Polygon" || start.type === "MultiPolygon")) {
    show(start);
  } else {
    map.setView(HOA_BINH, 10);
  }
  write();
  element.setAttribute("data-state", "ready");

  // The other areas, in grey, not editable.
  fetch(d.others, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (data) {
      var others = L.geoJSON(data, {
        filter: function (f) {
          return f.properties.code !== d.code && f.geometry && f.geometry.type !== "Point";
        },
        style: function () { return { color: "#666", weight: 1, fillOpacity: 0.15, dashArray: "4" }; },
        interactive: false,
      }).addTo(map);
      // Without animation: the map has its view once the others are marked drawn.
      if (!shape && others.getLayers().length) { map.fitBounds(others.getBounds(), { animate: false }); }
      element.setAttribute("data-others-drawn", String(others.getLayers().length));
    });
}());
