/* A box that narrows a long select to the options whose text holds the words typed
   (accents and đ ignored, as Vietnamese names are often typed without them). The
   options are taken out rather than hidden: phones' pickers ignore hidden options. */
(function () {
  "use strict";
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }
  document.querySelectorAll("input[data-filter-select]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-filter-select"));
    if (!select) { return; }
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var words = plain(box.value).split(/\s+/).filter(Boolean);
      var chosen = select.value;
      var kept = options.filter(function (option) {
        var text = plain(option.text);
        return !option.value || option.value === chosen ||
          words.every(function (word) { return text.indexOf(word) !== -1; });
      });
      select.replaceChildren.apply(select, kept);
      select.value = chosen;
    });
  });
}());
