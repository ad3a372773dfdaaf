// A question before what cannot be undone: a submit button with data-confirm="…" asks first
// in a dialog that says what will happen (Bootstrap's modal, built here from text only), and
// the form is sent only on "yes". The words of the two buttons come from the <body>.
(function () {
  "use strict";
  var confirmed = null;  // the button whose question was answered "yes"

  function dialog(text, onYes) {
    var body = document.body;
    var modal = document.createElement("div");
    modal.className = "modal fade";
    modal.tabIndex = -1;
    modal.setAttribute("role", "dialog");
    modal.setAttribute("aria-modal", "true");
    modal.setAttribute("aria-labelledby", "confirm-title");
    var box = document.createElement("div");
    box.className = "modal-dialog modal-dialog-centered";
    var content = document.createElement("div");
    content.className = "modal-content";
    var header = document.createElement("div");
    header.className = "modal-header";
    var title = document.createElement("h2");
    title.className = "modal-title h5";
    title.id = "confirm-title";
    title.textContent = body.getAttribute("data-confirm-title");
    header.appendChild(title);
    var main = document.createElement("div");
    main.className = "modal-body";
    main.textContent = text;
    var footer = document.createElement("div");
    footer.className = "modal-footer";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "btn btn-outline-secondary";
    no.textContent = body.getAttribute("data-confirm-no");
    no.setAttribute("data-bs-dismiss", "modal");
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "btn btn-primary confirm-yes";
    yes.textContent = body.getAttribute("data-confirm-yes");
    footer.appendChild(no);
    footer.appendChild(yes);
    content.appendChild(header);
    content.appendChild(main);
    content.appendChild(footer);
    box.appendChild(content);
    modal.appendChild(box);
    body.appendChild(modal);
    var shown = new window.bootstrap.Modal(modal);
    yes.addEventListener("click", function () {
      shown.hide();
      onYes();
    });
    modal.addEventListener("hidden.bs.modal", function () {
      modal.remove();
    });
    modal.addEventListener("shown.bs.modal", function () {
      no.focus();  // the safe answer first
    });
    shown.show();
  }

  document.addEventListener(
    "submit",
    function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-confirm") || !window.bootstrap) {
        return;
      }
      if (confirmed === button) {
        confirmed = null;
        return;  // answered "yes": on its way
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      var form = event.target;
      dialog(button.getAttribute("data-confirm"), function () {
        confirmed = button;
        form.requestSubmit(button);
      });
    },
    true
  );
})();
