/* On the question form, show only the help for the selected question type (all of
   it stays visible without JavaScript). */
(function () {
  "use strict";
  function init() {
    var select = document.getElementById("id_type");
    var help = document.querySelector(".question-type-help");
    if (!select || !help) return;
    function update() {
      help.querySelectorAll("[data-question-type]").forEach(function (entry) {
        entry.hidden = Boolean(select.value) && entry.getAttribute("data-question-type") !== select.value;
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
