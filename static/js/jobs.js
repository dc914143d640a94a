// Moves the progress bars of background jobs (templates/includes/_jobs.html):
// polls each unfinished job's progress URL and reloads the page once it has
// finished, so the page shows its summary, file or error. Without JavaScript a
// refresh does the same.
(function () {
  "use strict";
  var POLL_MS = 1500;

  function watch(card) {
    var url = card.getAttribute("data-job-progress");
    var bar = card.querySelector("[data-job-bar]");
    var label = card.querySelector("[data-job-status-label]");
    var count = card.querySelector("[data-job-count]");

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (job) {
          if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
          if (label) { label.textContent = job.status_label; }
          if (count && job.total) { count.textContent = job.done + " / " + job.total; }
          if (job.finished) { window.location.reload(); return; }
          window.setTimeout(poll, POLL_MS);
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 4); });
    }
    window.setTimeout(poll, POLL_MS);
  }

  document.querySelectorAll("[data-job-progress]").forEach(watch);
})();
