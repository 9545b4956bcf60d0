// People pickers (templates/collaboration/_person_picker.html). Without JavaScript each is a
// text box for the person's email address. Here it becomes a combobox (the WAI-ARIA pattern
// with a listbox popup) that asks the server for matching accounts as one types, and posts
// the id of the person chosen. The server never sends the whole list of accounts: the page
// would grow with every account and show them all to anyone reading its source.
(function () {
  "use strict";

  // Long enough to skip the requests for the letters of a word typed at speed.
  var DELAY = 200;

  function setUp(root) {
    var input = root.querySelector("input[type=text]");
    var popup = root.querySelector("[data-picker-popup]");
    var chosen = root.querySelector("[data-picker-chosen]");
    var chosenLabel = root.querySelector("[data-picker-chosen-label]");
    var everyoneRow = root.querySelector("[data-picker-everyone]");
    var everyone = everyoneRow.querySelector("input");
    var help = root.querySelector("[data-picker-help]");
    var status = root.querySelector("[data-picker-status]");
    var listboxId = input.id + "-matches";

    // The field posts the chosen person's id; while nobody is chosen from the matches it
    // posts what was typed, so an address typed in full works as it does without JavaScript.
    var value = document.createElement("input");
    value.type = "hidden";
    value.name = input.name;
    value.value = input.dataset.personId || input.value;
    input.removeAttribute("name");
    input.insertAdjacentElement("afterend", value);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listboxId);
    everyoneRow.hidden = false;
    help.textContent = help.dataset.searchHelp;

    var timer = null;
    var latest = 0;
    var controller = null;
    var active = -1;

    function options() {
      return Array.prototype.slice.call(popup.querySelectorAll("[role=option]"));
    }

    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(html) {
      popup.innerHTML = html;
      var listbox = popup.querySelector("[role=listbox]");
      popup.hidden = false;
      input.setAttribute("aria-expanded", options().length ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      status.textContent = listbox ? listbox.dataset.status : "";
    }

    function search() {
      var query = input.value.trim();
      clearTimeout(timer);
      if (controller) {
        controller.abort();
      }
      if (!query) {
        close();
        status.textContent = "";
        return;
      }
      var url = root.dataset.searchUrl + "&q=" + encodeURIComponent(query);
      if (everyone.checked) {
        url += "&everyone=1";
      }
      var request = ++latest;
      controller = new AbortController();
      root.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", signal: controller.signal })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.text();
        })
        .then(function (html) {
          // Nobody wants a list popping up where they no longer are.
          if (request === latest && root.contains(document.activeElement)) {
            show(html);
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError" && request === latest) {
            var note = document.createElement("p");
            note.className = "cairn-picker-note";
            note.textContent = root.dataset.failedNote;
            show(note.outerHTML);
            status.textContent = root.dataset.failedStatus;
          }
        })
        .finally(function () {
          if (request === latest) {
            root.removeAttribute("aria-busy");
          }
        });
    }

    function highlight(index) {
      var all = options();
      if (!all.length) {
        return;
      }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(option) {
      value.value = option.dataset.personId;
      input.value = option.dataset.email;
      var said = root.dataset.chosenText.replace("{person}", option.dataset.label);
      chosenLabel.textContent = said;
      chosen.hidden = false;
      close();
      status.textContent = said;
      input.focus();
    }

    input.addEventListener("input", function () {
      value.value = input.value;
      chosen.hidden = true;
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !popup.hidden && options().length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          search();
        } else {
          highlight(event.key === "ArrowDown" ? active + 1 : active - 1);
        }
      } else if (event.key === "Enter" && open && active >= 0) {
        // Enter chooses the highlighted person rather than sending the form.
        event.preventDefault();
        pick(options()[active]);
      } else if (event.key === "Escape" && !popup.hidden) {
        event.preventDefault();
        close();
      }
    });

    // The list stays open while the focus is on its checkbox, whose answer it shows.
    root.addEventListener("focusout", function (event) {
      if (!root.contains(event.relatedTarget)) {
        close();
      }
    });

    // Pressing an option would take the focus from the box (and close the list) first.
    popup.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    popup.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        pick(option);
      }
    });

    everyone.addEventListener("change", function () {
      if (input.value.trim() && value.value === input.value) {
        search();
      }
    });
  }

  document.querySelectorAll("[data-person-picker]").forEach(setUp);
})();
