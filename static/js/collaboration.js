// Project page: the milestone checkboxes and the chat form post without reloading the page.
// Each form works on its own without this file (the server redirects back to the page); with
// it, the server answers the same post with the page's live regions (milestones and chat),
// which replace the ones on the page.
(function () {
  "use strict";

  function scrollChatToEnd() {
    var log = document.querySelector("#chat .cairn-chat-log");
    if (log) {
      log.scrollTop = log.scrollHeight;
    }
  }

  function replaceRegions(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var regions = doc.querySelectorAll("[data-live-region]");
    if (!regions.length) {
      return false;
    }
    regions.forEach(function (fresh) {
      var current = document.getElementById(fresh.id);
      if (current) {
        current.replaceWith(document.importNode(fresh, true));
      }
    });
    return true;
  }

  function restoreFocus(form) {
    var button = form.querySelector("[data-focus-key]");
    var target = button
      ? document.querySelector('[data-focus-key="' + button.dataset.focusKey + '"]')
      : document.querySelector("#chat textarea");
    if (target) {
      target.focus({ preventScroll: true });
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-live-form]") || form.dataset.busy) {
      if (form.dataset.busy) {
        event.preventDefault();
      }
      return;
    }
    event.preventDefault();
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {
        "X-Requested-With": "fetch",
        "X-CSRFToken": token ? token.value : "",
      },
    })
      .then(function (response) {
        var isHtml = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
        if (!isHtml || (response.status !== 200 && response.status !== 400)) {
          throw new Error("Unexpected answer: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        delete form.dataset.busy;
        form.removeAttribute("aria-busy");
        if (!replaceRegions(html)) {
          throw new Error("No live regions in the answer");
        }
        scrollChatToEnd();
        restoreFocus(form);
      })
      .catch(function () {
        // Let the browser post the form the ordinary way: the server answers that too.
        delete form.dataset.busy;
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  // Enter sends a chat message; Shift+Enter starts a new line.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) {
      return;
    }
    if (field.matches && field.matches("#chat textarea") && field.value.trim()) {
      event.preventDefault();
      field.form.requestSubmit();
    }
  });

  scrollChatToEnd();
})();
