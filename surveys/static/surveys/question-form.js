// Question forms: show the scale only for a rating and the options only for multiple choice.
// Without this file every field shows, and the server ignores those the type does not use.
(function () {
  "use strict";

  function show(form) {
    var type = form.querySelector("select[name$='type']");
    if (!type) {
      return;
    }
    form.querySelectorAll("[data-question-types]").forEach(function (part) {
      part.hidden = part.dataset.questionTypes.split(" ").indexOf(type.value) === -1;
    });
  }

  document.querySelectorAll("form[data-question-form]").forEach(function (form) {
    show(form);
    form.addEventListener("change", function (event) {
      if (event.target.matches("select[name$='type']")) {
        show(form);
      }
    });
  });
})();
