// A form sent back with errors: the first field in error gets the focus, and each field in
// error says so to screen readers (aria-invalid, and its message as its description).
(function () {
  "use strict";
  var fields = document.querySelectorAll("main .is-invalid");
  Array.prototype.forEach.call(fields, function (field, index) {
    field.setAttribute("aria-invalid", "true");
    var feedback = field.parentElement && field.parentElement.querySelector(".invalid-feedback");
    if (feedback) {
      if (!feedback.id) {
        feedback.id = (field.id || "field-" + index) + "-error";
      }
      var described = field.getAttribute("aria-describedby");
      if (!described || described.split(" ").indexOf(feedback.id) === -1) {
        field.setAttribute("aria-describedby", ((described || "") + " " + feedback.id).trim());
      }
    }
  });
  if (fields.length && !document.querySelector("[autofocus]")) {
    fields[0].focus();
  }
})();
