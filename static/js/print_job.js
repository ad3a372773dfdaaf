// The batch print page follows its batch without reloading: it asks the status URL (JSON)
// every few seconds, updates the counter, the bar and the notices, and announces the counter
// through its aria-live region. When the batch ends, the page loads once more to show the
// file or the reasons.
(function () {
  "use strict";
  var page = document.querySelector("[data-job-status-url]");
  if (!page) {
    return;
  }
  var url = page.getAttribute("data-job-status-url");
  var every = 2000;

  function show(selector, text) {
    var element = page.querySelector(selector);
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
    return element;
  }

  function update(state) {
    show(".job-status", state.status_label);
    show(".job-progress", state.progress_text);
    var bar = page.querySelector(".progress");
    if (bar) {
      bar.setAttribute("aria-valuenow", String(state.done));
      bar.setAttribute("aria-valuemax", String(state.total));
      var fill = bar.querySelector(".progress-bar");
      fill.className = "progress-bar w-" + String(Math.max(0, Math.min(100, state.percent)));
    }
    var notice = show(".job-notice", state.notice);
    if (notice) {
      notice.hidden = state.notice === "";
    }
    if (state.finished) {
      window.location.reload();
      return false;
    }
    return true;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        if (update(state)) {
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        // The server restarting or the network gone: try again a little later.
        window.setTimeout(poll, every * 3);
      });
  }

  window.setTimeout(poll, every);
})();
