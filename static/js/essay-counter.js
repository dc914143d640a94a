/* An essay's character counter (progressive enhancement: the limit is printed
   and the server refuses a longer text either way).

   Counts as the server does (Python's len after CRLF becomes LF: code points,
   a line break is one), shows "120 of 5000 characters" under the box as the
   student types, in red with how many too many past the limit, and tells a
   screen reader the count in a polite live region once typing pauses. */
(function () {
  "use strict";

  function length(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  document.querySelectorAll("textarea[data-char-limit]").forEach(function (box) {
    var counter = document.getElementById(box.getAttribute("data-char-count"));
    if (!counter) return;
    var region = document.querySelector('[data-char-announce="' + counter.id + '"]');
    var limit = parseInt(box.getAttribute("data-char-limit"), 10) || 0;
    var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var timer = null;

    function text() {
      var count = length(box.value);
      var over = limit && count > limit;
      var values = {
        count: numbers.format(count),
        limit: numbers.format(limit),
        over: numbers.format(count - limit),
      };
      var label = counter.getAttribute(over ? "data-label-over" : "data-label-count");
      counter.classList.toggle("text-danger", !!over);
      return format(label || "", values);
    }

    function update() {
      counter.textContent = text();
      if (!region) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        region.textContent = counter.textContent;
      }, 1000);
    }

    counter.hidden = false;
    counter.textContent = text();
    var described = box.getAttribute("aria-describedby") || "";
    if (described.split(/\s+/).indexOf(counter.id) < 0) {
      box.setAttribute("aria-describedby", (described + " " + counter.id).trim());
    }
    box.addEventListener("input", update);
  });
})();
