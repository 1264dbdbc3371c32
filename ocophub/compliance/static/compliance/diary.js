// The diary's ingredient list: typing in the box above it hides the ingredients whose
// name does not hold the text (ticked ones stay, so a choice never disappears). Without
// scripts the box stays hidden and the whole list shows.
(function () {
  "use strict";
  document.querySelectorAll("input.choice-filter").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-filters"));
    if (!list) { return; }
    box.hidden = false;
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      list.querySelectorAll("label.choice").forEach(function (label) {
        var ticked = label.querySelector("input").checked;
        label.hidden = !(ticked || !text || label.textContent.toLowerCase().indexOf(text) !== -1);
      });
    });
  });
})();
