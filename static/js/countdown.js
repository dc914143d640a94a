/* Countdown for timed quiz attempts. The server enforces the deadline; this only
   shows the time left, announces it to screen readers at a few moments, and
   submits the answers when the time is up so nothing typed is lost. */
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box) return;
  var deadline = Date.parse(box.getAttribute("data-deadline"));
  if (isNaN(deadline)) return;
  var value = box.querySelector("[data-countdown-value]");
  var announce = box.querySelector("[data-countdown-announce]");
  var label = box.querySelector("[data-countdown-label]");
  var announced = {};
  var done = false;

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function finish() {
    if (done) return;
    done = true;
    label.textContent = box.getAttribute("data-label-up");
    var form = document.getElementById("attempt-form");
    if (form) {
      hidden(form, "action", "finish");
      hidden(form, "timeout", "1");
      form.submit();
      return;
    }
    var submit = document.querySelector("[data-submit-form]");
    if (submit) {
      hidden(submit, "timeout", "1");
      submit.submit();
    }
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    value.textContent = format(left);
    [600, 300, 60].forEach(function (mark) {
      if (left <= mark && left > mark - 5 && !announced[mark]) {
        announced[mark] = true;
        announce.textContent = box.getAttribute("data-label-left") + ": " + format(left);
      }
    });
    if (left <= 0) {
      finish();
    } else {
      window.setTimeout(tick, 1000);
    }
  }
  tick();
})();
