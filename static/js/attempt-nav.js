/* The attempt page's question navigation and flags (progressive enhancement:
   without it each flag button posts the page, which saves it and flags the
   question, and the panel's buttons save the page and go to the question).

   - A flag button toggles its question's flag in place: a POST to the form's
     data-flag-url (position, flagged, the CSRF token) answering JSON. A failed
     connection falls back to posting the page as without JavaScript.
   - The panel follows the page: a question counts as answered as soon as one of
     its fields holds an answer, and shows its flag. */
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.FormData) return;
  var nav = document.querySelector("[data-attempt-nav]");
  var flagUrl = form.getAttribute("data-flag-url");
  var announce = form.querySelector("[data-attempt-announce]");

  function navItem(position) {
    return nav ? nav.querySelector('[data-nav-item="' + position + '"]') : null;
  }

  function showState(item, name, on) {
    var part = item.querySelector("[data-nav-" + name + "]");
    if (part) part.hidden = !on;
  }

  function setFlag(button, flagged) {
    var position = button.getAttribute("data-flag-toggle");
    button.setAttribute("aria-pressed", flagged ? "true" : "false");
    button.value = position + ":" + (flagged ? "0" : "1");
    button.classList.toggle("btn-warning", flagged);
    button.classList.toggle("btn-outline-secondary", !flagged);
    var item = navItem(position);
    if (item) {
      item.classList.toggle("is-flagged", flagged);
      showState(item, "flagged", flagged);
    }
  }

  function say(text) {
    if (!announce) return;
    announce.textContent = text;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-flag-toggle]");
    if (!button || !flagUrl) return;
    event.preventDefault();
    var flagged = button.getAttribute("aria-pressed") !== "true";
    var body = new FormData();
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    body.append("position", button.getAttribute("data-flag-toggle"));
    body.append("flagged", flagged ? "1" : "0");
    fetch(flagUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (reply) {
          if (response.status === 409 && reply.redirect) {
            window.location.assign(reply.redirect);
            return;
          }
          if (!response.ok) {
            say(reply.error || form.getAttribute("data-label-flag-failed"));
            return;
          }
          setFlag(button, reply.flagged);
        });
      })
      .catch(function () {
        // No connection: post the page as a browser without JavaScript would.
        if (form.requestSubmit) form.requestSubmit(button);
        else say(form.getAttribute("data-label-flag-failed"));
      });
  });

  function answered(fieldset) {
    var fields = fieldset.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "hidden") {
        if (field.hasAttribute("data-order-input") && field.hasAttribute("data-moved")) {
          return true;
        }
        continue;
      }
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) return true;
      } else if (field.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function follow(event) {
    var fieldset = event.target.closest && event.target.closest("fieldset[id]");
    if (!fieldset) return;
    var position = fieldset.id.replace(/^q/, "");
    var item = navItem(position);
    if (!item) return;
    var now = answered(fieldset);
    item.classList.toggle("is-answered", now);
    showState(item, "answered", now);
    showState(item, "unanswered", !now);
  }

  form.addEventListener("input", follow);
  form.addEventListener("change", follow);
})();
