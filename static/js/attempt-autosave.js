/* Autosave of a quiz attempt page (progressive enhancement: without it the Save,
   Next and Finish buttons post the page as before).

   Every few seconds (data-autosave-seconds) and when the page is hidden or left,
   the form is posted to its own address, if anything changed since the last
   save, with autosave=1; the server answers JSON: the new sequence of every
   question (copied into the hidden q<N>-seq fields, so the next save is not
   taken for an older page), the questions changed in another window, the answers
   it refused and when it saved. The status line (a polite live region) says
   "Saved 10:42" in the page's language. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector("[data-autosave-status]");
  // Not form.action: the form's buttons are named "action", which shadows it.
  var url = form.getAttribute("action") || window.location.pathname;
  var seconds = parseFloat(form.getAttribute("data-autosave-seconds")) || 30;
  var saving = null; // the save in flight, a Promise
  var waitingSubmitter = null;
  var leaving = false;

  function label(name) {
    return form.getAttribute("data-label-" + name) || "";
  }

  function say(text, tone) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", tone === "danger");
    status.classList.toggle("text-body-secondary", tone !== "danger");
  }

  // What the student gave, without the bookkeeping fields: compared to decide
  // whether there is anything to save.
  function answers() {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (/-seq$/.test(name) || name === "csrfmiddlewaretoken") return;
      parts.push(name + "=" + (typeof value === "string" ? value : ""));
    });
    return parts.join("&");
  }

  var lastSaved = answers();

  function clock(iso) {
    var when = new Date(iso);
    if (isNaN(when.getTime())) when = new Date();
    try {
      return when.toLocaleTimeString(document.documentElement.lang || undefined, {
        hour: "2-digit",
        minute: "2-digit",
      });
    } catch (error) {
      return when.toLocaleTimeString();
    }
  }

  function showQuestionErrors(errors) {
    var byField = {};
    errors.forEach(function (error) {
      byField[error.field] = error.message;
    });
    form.querySelectorAll("[data-question-error]").forEach(function (box) {
      var field = box.id.replace(/-error$/, "");
      box.textContent = byField[field] || "";
      var input = document.getElementById(field + "-input");
      if (input) {
        if (byField[field]) {
          input.setAttribute("aria-invalid", "true");
          input.classList.add("is-invalid");
        } else {
          input.removeAttribute("aria-invalid");
          input.classList.remove("is-invalid");
        }
      }
    });
  }

  function applyReply(reply) {
    Object.keys(reply.sequences || {}).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input) input.value = reply.sequences[name];
    });
    showQuestionErrors(reply.errors || []);
    if (reply.conflict_message) {
      say(reply.conflict_message, "danger");
    } else if ((reply.errors || []).length) {
      say(label("errors"), "danger");
    } else {
      say(label("saved").replace("%(time)s", clock(reply.saved_at)));
    }
  }

  function save(keepalive) {
    if (saving) return saving;
    var snapshot = answers();
    if (snapshot === lastSaved) return Promise.resolve();
    var body = new FormData(form);
    body.set("autosave", "1");
    if (!keepalive) say(label("saving"));
    var request;
    try {
      request = fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        keepalive: !!keepalive,
      });
    } catch (error) {
      // A keepalive body over the browser's limit: a beacon is the last resort.
      if (keepalive && navigator.sendBeacon) navigator.sendBeacon(url, body);
      return Promise.resolve();
    }
    saving = request
      .then(function (response) {
        return response.json().then(function (reply) {
          if (response.status === 409 && reply.redirect) {
            if (!leaving) window.location.assign(reply.redirect);
            return;
          }
          if (!response.ok) {
            say(reply.error || label("failed"), "danger");
            lastSaved = snapshot; // a refused post is not retried unchanged
            return;
          }
          lastSaved = snapshot;
          applyReply(reply);
        });
      })
      .catch(function () {
        say(label("failed"), "danger");
      })
      .then(function () {
        saving = null;
        if (waitingSubmitter) {
          var submitter = waitingSubmitter;
          waitingSubmitter = null;
          resubmit(submitter);
        }
      });
    return saving;
  }

  function resubmit(submitter) {
    leaving = true;
    if (form.requestSubmit) {
      form.requestSubmit(submitter);
      return;
    }
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.submit();
  }

  // A button pressed while a save is in flight waits for it, so the page posts
  // the sequences that save returned (or it would be taken for an older page).
  form.addEventListener("submit", function (event) {
    if (saving) {
      event.preventDefault();
      waitingSubmitter = event.submitter || null;
      return;
    }
    leaving = true;
  });

  window.setInterval(function () {
    if (!leaving) save(false);
  }, seconds * 1000);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !leaving) save(true);
  });
  window.addEventListener("pagehide", function () {
    if (!leaving) save(true);
  });
})();
