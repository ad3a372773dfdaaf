// The rating page, with JavaScript: every change is saved in the background (a short pause
// after the last click or keystroke), the counters follow the clicks, and leaving the page
// with something unsaved asks first. Without JavaScript the page works with its buttons.
// When someone else saved the same ratings first, saving stops and the page says so: the
// "Save draft" button then shows both versions to choose from (the server's conflict page).
(function () {
  "use strict";
  var form = document.querySelector("form.rating-form[data-autosave-url]");
  if (!form) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var digits = form.getAttribute("data-digits") || "0123456789";
  var state = form.querySelector(".save-state");
  var pause = 1500;
  var timer = null;
  var dirty = false;
  var saving = false;
  var stopped = false;
  var waitingSubmit = null;  // a button pressed while a background save was on its way

  function localDigits(text) {
    return String(text).replace(/[0-9]/g, function (d) {
      return digits.charAt(Number(d));
    });
  }

  function say(text) {
    if (state && state.textContent !== text) {
      state.textContent = text;
    }
  }

  function rows() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset.rating-row"));
  }

  function isRated(row) {
    return row.querySelector("input[type=radio]:checked") !== null;
  }

  function count() {
    var all = rows();
    var rated = all.filter(isRated);
    var total = form.querySelector(".rated-count");
    if (total) {
      total.textContent = localDigits(rated.length);
    }
    Array.prototype.forEach.call(form.querySelectorAll("section.competency"), function (block) {
      var shown = block.querySelector(".block-rated");
      if (shown) {
        var inBlock = block.querySelectorAll("fieldset.rating-row");
        var done = Array.prototype.filter.call(inBlock, isRated).length;
        shown.textContent = localDigits(done);
      }
    });
    var next = form.querySelector(".next-unrated");
    var first = all.filter(function (row) { return !isRated(row); })[0];
    if (next) {
      next.hidden = !first;
      if (first) {
        next.setAttribute("href", "#" + first.id);
      }
    }
  }

  function markDifference(row) {
    // Supervisor page: a row whose rating differs from the employee's own is marked.
    var own = row.getAttribute("data-self");
    var checked = row.querySelector("input[type=radio]:checked");
    var differs = own !== null && own !== "" && checked !== null && checked.value !== own;
    row.classList.toggle("differs", differs);
  }

  function showLevels(levels) {
    Object.keys(levels || {}).forEach(function (code) {
      var shown = form.querySelector(".block-level[data-code='" + code + "']");
      if (shown && shown.textContent !== levels[code]) {
        shown.textContent = levels[code];
      }
    });
  }

  function changed(event) {
    var row = event && event.target.closest ? event.target.closest("fieldset.rating-row") : null;
    if (row) {
      markDifference(row);
    }
    count();
    if (stopped) {
      return;
    }
    dirty = true;
    say(form.getAttribute("data-text-unsaved"));
    window.clearTimeout(timer);
    timer = window.setTimeout(save, pause);
  }

  function save() {
    if (saving) {
      timer = window.setTimeout(save, pause);
      return;
    }
    saving = true;
    dirty = false;
    say(form.getAttribute("data-text-saving"));
    var data = new FormData(form);
    data.set("action", "save");
    fetch(url, { method: "POST", body: data, credentials: "same-origin",
                 headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { status: response.status, answer: answer };
        });
      })
      .then(function (result) {
        saving = false;
        if (result.answer.saved) {
          form.querySelector("input[name=version]").value = result.answer.version;
          form.querySelector("input[name=base]").value = result.answer.base;
          showLevels(result.answer.levels);
          if (waitingSubmit) {
            submitNow(waitingSubmit);
            return;
          }
          if (!dirty) {
            say(result.answer.message);
          }
          return;
        }
        dirty = true;
        if (result.status === 409) {
          stopped = true;  // the server's conflict page takes over on "Save draft"
        }
        say(result.answer.message);
        if (waitingSubmit) {
          submitNow(waitingSubmit);
        }
      })
      .catch(function () {
        saving = false;
        dirty = true;
        say(form.getAttribute("data-text-failed"));
        if (waitingSubmit) {
          submitNow(waitingSubmit);
        }
      });
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "number") {
      changed(event);
    }
  });
  function submitNow(button) {
    dirty = false;  // the page's own save takes it from here
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = button && button.value ? button.value : "save";
    form.appendChild(action);
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (saving) {
      // Wait for the background save: the page then posts with the version it gave.
      event.preventDefault();
      waitingSubmit = event.submitter || form.querySelector("button[name=action]");
      return;
    }
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty || saving) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-text-leave");
      return event.returnValue;
    }
    return undefined;
  });
  count();
})();
