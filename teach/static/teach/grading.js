// Grading form: Ctrl+Enter (or Cmd+Enter) anywhere in the form saves and opens the
// next answer, so a grader can work through a queue without the mouse. Enter in
// the score field already submits "Save and next" (the form's first button).
(function () {
  "use strict";
  var form = document.getElementById("grade-form");
  if (!form) {
    return;
  }
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      var next = form.querySelector('button[value="next"]');
      if (form.requestSubmit) {
        form.requestSubmit(next);
      } else {
        next.click();
      }
    }
  });
})();
