/* Live preview of a lesson's Markdown in the admin. The pane (from
   templates/admin/lessons/lesson/change_form.html) is moved under the Markdown
   field; while the instructor types, the text is posted (debounced) to the
   admin's preview endpoint, which answers with the HTML rendered and sanitised by
   the same code that renders lessons for students. No libraries. */
(function () {
  "use strict";
  var DELAY_MS = 300;
  var gettext = window.gettext || function (text) { return text; };

  function init() {
    var pane = document.getElementById("markdown-preview");
    if (!pane) return;
    var source = document.getElementById(pane.getAttribute("data-source"));
    if (!source || !source.form) return;  // view-only: the stored HTML stays
    var body = pane.querySelector(".markdown-preview-body");
    var status = pane.querySelector(".markdown-preview-status");
    var token = source.form.querySelector("input[name=csrfmiddlewaretoken]");
    var row = source.closest(".form-row") || source.parentNode;
    row.parentNode.insertBefore(pane, row.nextSibling);

    var timer = null;
    var controller = null;
    var shown = null;  // the text the pane shows now

    function refresh() {
      var text = source.value;
      if (text === shown) return;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      status.textContent = gettext("Updating the preview…");
      var data = new URLSearchParams();
      data.append("text", text);
      fetch(pane.getAttribute("data-preview-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": token ? token.value : "",
          "X-Requested-With": "XMLHttpRequest"
        },
        body: data,
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (response.ok) return response.json();
          // A refused text (too long, nested too deeply) comes back with its reason.
          return response.json().then(
            function (result) { throw new Error(result.error || response.statusText); },
            function () { throw new Error(response.status + " " + response.statusText); }
          );
        })
        .then(function (result) {
          // Safe to insert: the server rendered it through the sanitiser.
          body.innerHTML = result.html;
          shown = text;
          status.textContent = interpolate(
            ngettext("%s word", "%s words", result.words), [result.words]
          );
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          status.textContent = gettext("The preview could not be updated:") + " " + error.message;
        });
    }

    function interpolate(format, values) {
      return window.interpolate ? window.interpolate(format, values) : format.replace("%s", values[0]);
    }
    function ngettext(one, many, count) {
      return window.ngettext ? window.ngettext(one, many, count) : (count === 1 ? one : many);
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    });
    // A form shown again after an error holds unsaved text: preview that.
    if (source.value) refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
