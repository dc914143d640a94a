/* On the question form, show only the fields and answer columns of the selected
   question type. Which ones each type uses comes from the type menu's
   data-type-layout attribute ({"type": {"fields": [...], "columns": [...]}},
   rendered by quizzes.admin_forms from the type modules). Without JavaScript, or
   with no type chosen, everything stays visible; the server ignores the fields
   of other types on save. */
(function () {
  "use strict";
  function init() {
    var select = document.getElementById("id_type");
    if (!select || !select.hasAttribute("data-type-layout")) return;
    var layout;
    try {
      layout = JSON.parse(select.getAttribute("data-type-layout"));
    } catch (error) {
      return;
    }
    var allFields = {};
    var allColumns = {};
    Object.keys(layout).forEach(function (name) {
      layout[name].fields.forEach(function (field) { allFields[field] = true; });
      layout[name].columns.forEach(function (column) { allColumns[column] = true; });
    });
    var inline = document.getElementById("answers-group");

    function toggle(elements, hidden) {
      elements.forEach(function (element) { element.hidden = hidden; });
    }

    function update() {
      var chosen = layout[select.value];
      Object.keys(allFields).forEach(function (field) {
        var hidden = Boolean(chosen) && chosen.fields.indexOf(field) < 0;
        toggle(document.querySelectorAll(".form-row.field-" + field), hidden);
      });
      if (!inline) return;
      inline.hidden = Boolean(chosen) && chosen.columns.length === 0;
      Object.keys(allColumns).forEach(function (column) {
        var hidden = Boolean(chosen) && chosen.columns.indexOf(column) < 0;
        toggle(inline.querySelectorAll("th.column-" + column + ", td.field-" + column), hidden);
      });
    }

    select.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
