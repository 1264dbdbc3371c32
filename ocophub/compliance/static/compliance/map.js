/* The map of codes: reads its GeoJSON address, tile server and labels from data
   attributes of #code-map (no inline script), draws growing areas as polygons and
   packing facilities as circles, coloured by state, with a popup linking to the code's
   page. Without a tile server it draws over a plain background with a scale. */
(function () {
  "use strict";
  var COLOURS = {
    approved: "#1e7b34",
    pending: "#2f5fa7",
    suspended: "#b26a00",
    revoked: "#a52714",
    expired: "#a52714",
    retired: "#a52714",
  };
  var HOA_BINH = [20.7, 105.35];
  var CLOSE_ZOOM = 14;

  function colour(state) {
    return COLOURS[state] || "#555";
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function popup(props, labels) {
    var box = document.createElement("div");
    var code = document.createElement("div");
    code.className = "popup-code";
    code.textContent = props.code;
    box.appendChild(code);
    var facts = [props.status_label, props.crop || props.name, props.holder];
    if (props.area_ha) facts.push(props.area_ha.toFixed(2) + " ha");
    facts.forEach(function (text) {
      if (!text) return;
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    var markets = document.createElement("div");
    markets.textContent = props.markets.length
      ? labels.approvedFor + ": " + props.markets.join(", ")
      : labels.none;
    box.appendChild(markets);
    var links = document.createElement("div");
    links.appendChild(link(props.url, labels.open));
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(link(props.public_url, labels.public));
    box.appendChild(links);
    return box;
  }

  function draw(element, data) {
    var d = element.dataset;
    var labels = {
      open: d.labelOpen,
      public: d.labelPublic,
      approvedFor: d.labelApprovedFor,
      none: d.labelNone,
    };
    var map = L.map(element, { zoomControl: true });
    if (d.tiles) {
      L.tileLayer(d.tiles, { attribution: d.attribution || "", maxZoom: 19 }).addTo(map);
    }
    L.control.scale({ imperial: false }).addTo(map);
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var c = colour(feature.properties.state);
        return { color: c, weight: 2, fillColor: c, fillOpacity: 0.35 };
      },
      pointToLayer: function (feature, latlng) {
        var c = colour(feature.properties.state);
        return L.circleMarker(latlng, {
          radius: 8, color: "#333", weight: 2, fillColor: c, fillOpacity: 0.9,
        });
      },
      onEachFeature: function (feature, shape) {
        shape.bindPopup(popup(feature.properties, labels));
        var path = shape.getElement && shape.getElement();
        if (path) path.setAttribute("data-code", feature.properties.code);
      },
    }).addTo(map);
    // An area of a few hectares is a speck at district scale: below CLOSE_ZOOM a dot
    // at its centre marks it too, with the same popup.
    var dots = L.layerGroup();
    layer.eachLayer(function (shape) {
      if (!shape.getBounds) return;
      var props = shape.feature.properties;
      var dot = L.circleMarker(shape.getBounds().getCenter(), {
        radius: 6, color: colour(props.state), weight: 2, fillColor: "#fff", fillOpacity: 1,
      });
      dot.bindPopup(popup(props, labels));
      dot.addTo(dots);
    });
    function showDots() {
      if (map.getZoom() < CLOSE_ZOOM) {
        dots.addTo(map);
        dots.eachLayer(function (dot) {
          var path = dot.getElement && dot.getElement();
          if (path) path.setAttribute("data-marker", "area");
        });
      } else {
        dots.remove();
      }
    }
    map.on("zoomend", showDots);
    if (data.features.length) {
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    } else {
      map.setView(HOA_BINH, 9);
      var note = document.createElement("p");
      note.className = "muted";
      note.textContent = d.labelEmpty;
      element.insertAdjacentElement("afterend", note);
    }
    layer.eachLayer(function (shape) {
      var path = shape.getElement && shape.getElement();
      if (path) {
        path.setAttribute("data-code", shape.feature.properties.code);
        path.setAttribute("data-state", shape.feature.properties.state);
      }
    });
    showDots();
    element.dataset.features = String(data.features.length);
    element.dataset.state = "drawn";
  }

  function start() {
    var element = document.getElementById("code-map");
    if (!element || typeof L === "undefined") return;
    fetch(element.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { draw(element, data); })
      .catch(function () { element.dataset.state = "failed"; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
