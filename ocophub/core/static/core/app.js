// Lists become cards on a phone: each cell learns its column's heading, which the CSS
// shows before the value (td::before). Run on load and after every htmx swap.
(function () {
  function label(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      table.classList.add("has-labels");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[i].textContent.trim());
          }
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSwap", function (e) { label(e.target); });
})();

// Buttons marked data-print print the page (no inline onclick under the CSP).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});
