/* "Move up" / "Move down" buttons for tabular inlines that have a position
   column (a quiz's questions, a module's lessons, a question's answers). Moving a
   row renumbers the positions of the rows in use (saved rows and rows being
   filled in) in the order shown; untouched empty rows are left alone so they stay
   empty and are not saved. The server saves whatever positions are posted. */
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };

  function positionInput(row) {
    return row.querySelector("td.field-position input");
  }

  function inUse(row) {
    var id = row.querySelector("td.original input[type=hidden][name$='-id']");
    return (id && id.value) || row.getAttribute("data-touched") === "1";
  }

  function renumber(tbody) {
    var number = 0;
    tbody.querySelectorAll("tr.form-row").forEach(function (row) {
      if (row.classList.contains("empty-form")) return;
      var input = positionInput(row);
      if (input && inUse(row)) input.value = number++;
    });
  }

  function sibling(row, direction) {
    var next = direction < 0 ? row.previousElementSibling : row.nextElementSibling;
    while (next && !(next.classList.contains("form-row") && !next.classList.contains("empty-form"))) {
      next = direction < 0 ? next.previousElementSibling : next.nextElementSibling;
    }
    return next;
  }

  function move(row, direction) {
    var other = sibling(row, direction);
    if (!other) return;
    row.setAttribute("data-touched", "1");
    if (direction < 0) other.parentNode.insertBefore(row, other);
    else other.parentNode.insertBefore(other, row);
    renumber(row.parentNode);
  }

  function button(label, symbol, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "inline-reorder-button";
    b.textContent = symbol;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", handler);
    return b;
  }

  function enhance(row) {
    if (row.classList.contains("empty-form") || row.querySelector(".inline-reorder-button")) return;
    var input = positionInput(row);
    if (!input) return;
    row.addEventListener("input", function () { row.setAttribute("data-touched", "1"); });
    var cell = input.parentNode;
    cell.appendChild(button(gettext("Move up"), "↑", function () { move(row, -1); }));
    cell.appendChild(button(gettext("Move down"), "↓", function () { move(row, 1); }));
  }

  function init() {
    document.querySelectorAll(".inline-group .tabular tr.form-row").forEach(enhance);
    document.addEventListener("formset:added", function (event) {
      if (event.target && event.target.matches && event.target.matches("tr.form-row")) {
        enhance(event.target);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
