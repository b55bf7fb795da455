// Follows an export job without reloading: polls the job's status.json every second and
// updates the heading and page title (preparing / ready / failed), the progress bar, the
// status line (a polite live region, changed only when the status or step changes; a
// failure's message is part of it, so it is announced), and shows the download link or the
// error with "Try again". A job that seems to have stopped (its worker or its message was
// lost) shows "Try again" too, until it moves again. Polling stops once the job is done or
// failed.
(function () {
  "use strict";
  var root = document.getElementById("export-job");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var doneLabel = root.getAttribute("data-done-label");
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  var done = document.getElementById("job-done");
  var failed = document.getElementById("job-failed");
  var stuck = document.getElementById("job-stuck");
  var download = document.getElementById("job-download");
  var reused = document.getElementById("job-reused");
  var error = document.getElementById("job-error");
  var heading = document.getElementById("job-heading");
  var active = { queued: true, running: true };
  var lastText = status.textContent;

  function show(state) {
    bar.value = state.progress;
    bar.textContent = state.progress + " %";
    percent.textContent = state.progress + " %";
    // The server formats the line in the page's language ("En cours : …" in French).
    var text = state.status === "done" ? doneLabel : state.status_text;
    if (heading && state.heading && heading.textContent !== state.heading) {
      // The title starts with the heading (base.html: "<heading> · <site>").
      document.title = document.title.replace(heading.textContent, state.heading);
      heading.textContent = state.heading;
    }
    if (text !== lastText) {
      status.textContent = text;
      lastText = text;
    }
    if (state.status === "done" && state.download_url) {
      download.setAttribute("href", state.download_url);
      reused.hidden = !state.reused;
      done.hidden = false;
    }
    if (stuck) {
      stuck.hidden = !state.is_stuck;
    }
    if (state.status === "failed") {
      error.textContent = state.error;
      failed.hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (active[state.status]) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        // A network hiccup: try again a little later.
        window.setTimeout(poll, 3000);
      });
  }

  if (!done.hidden || !failed.hidden) {
    return;
  }
  window.setTimeout(poll, 1000);
})();
