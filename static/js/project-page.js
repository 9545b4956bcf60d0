// Project page: the milestone checkboxes and the chat form post with htmx (their hx-*
// attributes), and the server answers with the regions that changed. This file adds what
// those attributes cannot say without eval, which the Content Security Policy forbids.
// Without JavaScript every form posts the ordinary way and the server redirects back.
(function () {
  "use strict";

  function errorBox(form) {
    var id = form.getAttribute && form.getAttribute("data-request-error");
    return id ? document.getElementById(id) : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = errorBox(event.detail.elt);
    if (box) {
      box.hidden = true;
    }
    event.detail.elt.setAttribute("aria-busy", "true");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    event.detail.elt.removeAttribute("aria-busy");
  });

  // A refused form comes back (422) showing why: swap it in as htmx does a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Any other failure leaves the form as it was and says so by it. Nothing is sent again:
  // the server may have saved the first one before the answer was lost.
  function showFailure(event) {
    var box = errorBox(event.detail.elt);
    if (box) {
      box.hidden = false;
    }
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);

  // The chat form comes back empty after a post (or showing why it was refused): keep typing.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "chat-form") {
      event.target.querySelector("textarea").focus();
    }
  });

  // Enter sends a chat message; Shift+Enter starts a new line.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) {
      return;
    }
    if (field.matches && field.matches("[data-enter-sends]") && field.value.trim()) {
      event.preventDefault();
      field.form.requestSubmit();
    }
  });
})();
