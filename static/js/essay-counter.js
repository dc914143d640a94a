/* An essay's character and word counters (progressive enhancement: the limits
   are printed and the server checks them either way).

   Characters are counted as the server does (Python's len after CRLF becomes
   LF: code points, a line break is one): "120 of 5000 characters" under the
   box as the student types, in red with how many too many past the limit.
   When the question has Moodle word limits (data-word-min / data-word-max, 0
   for none) the words are counted as quizzes/types/essay.py word_count does
   (runs between spaces, control characters, en and em dashes): "85 words", in
   red with the limit when outside it. A screen reader hears both in a polite
   live region once typing pauses. */
(function () {
  "use strict";

  var WORD_BREAK = /[\s\x00-\x1f\x7f-\x9f\u2013\u2014]+/;

  function length(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  function words(text) {
    return text.split(WORD_BREAK).filter(function (word) {
      return word.length > 0;
    }).length;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  document.querySelectorAll("textarea[data-char-limit]").forEach(function (box) {
    var counter = document.getElementById(box.getAttribute("data-char-count"));
    if (!counter) return;
    var wordCounter = document.getElementById(box.getAttribute("data-word-count") || "");
    var region = document.querySelector('[data-char-announce="' + counter.id + '"]');
    var limit = parseInt(box.getAttribute("data-char-limit"), 10) || 0;
    var minWords = parseInt(box.getAttribute("data-word-min"), 10) || 0;
    var maxWords = parseInt(box.getAttribute("data-word-max"), 10) || 0;
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

    function wordText() {
      var count = words(box.value);
      var name = "data-label-words";
      if (maxWords && count > maxWords) name = "data-label-many";
      else if (minWords && count > 0 && count < minWords) name = "data-label-few";
      wordCounter.classList.toggle("text-danger", name !== "data-label-words");
      return format(wordCounter.getAttribute(name) || "", {
        count: numbers.format(count),
        min: numbers.format(minWords),
        max: numbers.format(maxWords),
      });
    }

    function show() {
      counter.textContent = text();
      if (wordCounter) wordCounter.textContent = wordText();
    }

    function update() {
      show();
      if (!region) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        region.textContent = counter.textContent +
          (wordCounter ? " " + wordCounter.textContent : "");
      }, 1000);
    }

    counter.hidden = false;
    if (wordCounter) wordCounter.hidden = false;
    show();
    var described = (box.getAttribute("aria-describedby") || "").split(/\s+/);
    [counter, wordCounter].forEach(function (element) {
      if (element && described.indexOf(element.id) < 0) described.push(element.id);
    });
    box.setAttribute("aria-describedby", described.join(" ").trim());
    box.addEventListener("input", update);
  });
})();
