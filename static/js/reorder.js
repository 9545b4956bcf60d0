// Drag-and-drop for ordered lists whose rows have "Move" forms (templates/milestones/_move.html
// and _reorder.html). Without JavaScript those forms move a row; here each row's handle also
// moves it with a pointer or a finger (SortableJS) or with the keyboard: Space or Enter picks
// the row up, the up and down arrow keys move it, Space or Enter drops it and Escape puts it
// back. A drop posts the row's new position to the row's move address, as the "Move to" form
// does; the answer is the list's order as saved, which the page then shows, and a refusal
// puts the rows back as they were. Every word said comes from the template's data- attributes.
(function () {
  "use strict";

  var LIFTED = "cairn-reorder-lifted";
  var DRAGGED = "cairn-reorder-dragged";
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function fill(text, values) {
    // One pass, so a name that itself reads "{total}" is never filled in again.
    return text.replace(/\{(\w+)\}/g, function (placeholder, key) {
      return key in values ? values[key] : placeholder;
    });
  }

  function setUp(root) {
    var list = root.querySelector("[data-reorder-list]");
    var status = root.querySelector("[data-reorder-status]");
    var error = root.querySelector("[data-reorder-error]");
    var texts = status.dataset;
    var token = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    var saved = ids();
    // The row picked up with the keyboard, and its handle.
    var lifted = null;
    var busy = false;
    var sortable;

    // Not the copy of a row that Sortable draws under the pointer: it is no row of the list.
    function rows() {
      return Array.prototype.filter.call(list.children, function (row) {
        return row.hasAttribute("data-reorder-row") && !row.classList.contains(DRAGGED);
      });
    }

    function ids() {
      return rows().map(function (row) {
        return row.dataset.id;
      });
    }

    function where(row) {
      var all = rows();
      return { name: row.dataset.name, position: all.indexOf(row) + 1, total: all.length };
    }

    function say(text, row) {
      status.textContent = fill(text, where(row));
    }

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    // Puts the rows in the given order. Moving a row out and back in takes the focus from a
    // handle in it, so the handle gets it back.
    function arrange(order) {
      var focused = document.activeElement;
      var byId = {};
      rows().forEach(function (row) {
        byId[row.dataset.id] = row;
      });
      order.forEach(function (id) {
        if (byId[id]) {
          list.appendChild(byId[id]);
        }
      });
      if (focused && list.contains(focused) && document.activeElement !== focused) {
        focused.focus();
      }
    }

    // The numbers the page shows for each row, and the "Move" forms' arrows and lists, follow
    // the rows' new places; so do the numbers of milestones that share a name.
    function renumber() {
      var all = rows();
      all.forEach(function (row, index) {
        var number = row.querySelector("[data-reorder-number]");
        var up = row.querySelector("[data-move-up]");
        var down = row.querySelector("[data-move-down]");
        var position = row.querySelector("[data-move-position]");
        number.textContent = index + 1;
        if (up) {
          up.disabled = index === 0;
        }
        if (down) {
          down.disabled = index === all.length - 1;
        }
        if (position) {
          position.value = String(index + 1);
        }
      });
      var named = list.querySelectorAll("[data-name-key]");
      Array.prototype.forEach.call(named, function (warning) {
        var own = warning.closest("[data-reorder-row]");
        var others = [];
        Array.prototype.forEach.call(named, function (other) {
          var row = other.closest("[data-reorder-row]");
          if (row !== own && other.dataset.nameKey === warning.dataset.nameKey) {
            others.push(all.indexOf(row) + 1);
          }
        });
        others.sort(function (a, b) {
          return a - b;
        });
        warning.querySelector("[data-same-name-numbers]").textContent = others.join(", ");
      });
    }

    function settle(order) {
      var asShown = ids();
      var same = order.length === asShown.length && order.every(function (id) {
        return asShown.indexOf(id) !== -1;
      });
      arrange(order);
      saved = ids();
      renumber();
      if (!same) {
        showError(texts.changed);
      }
    }

    function refuse(message) {
      arrange(saved);
      renumber();
      showError(message || texts.failed);
    }

    function save(row) {
      busy = true;
      sortable.option("disabled", true);
      list.setAttribute("aria-busy", "true");
      fetch(row.dataset.moveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token },
        body: new URLSearchParams({ position: String(where(row).position) }),
      })
        .then(function (response) {
          return response.json().then(
            function (answer) {
              return { ok: response.ok, answer: answer };
            },
            function () {
              return { ok: false, answer: {} };
            }
          );
        })
        .then(function (result) {
          if (result.ok && Array.isArray(result.answer.order)) {
            settle(result.answer.order.map(String));
          } else {
            refuse(result.answer.error);
          }
        })
        .catch(function () {
          refuse();
        })
        .then(function () {
          busy = false;
          sortable.option("disabled", false);
          list.removeAttribute("aria-busy");
        });
    }

    function dropped(row) {
      say(texts.dropped, row);
      if (ids().join() !== saved.join()) {
        save(row);
      }
    }

    function pickUp(row, handle) {
      showError("");
      lifted = { row: row, handle: handle };
      row.classList.add(LIFTED);
      sortable.option("disabled", true);
      say(texts.pickedUp, row);
    }

    function putDown() {
      var row = lifted.row;
      row.classList.remove(LIFTED);
      lifted = null;
      sortable.option("disabled", false);
      return row;
    }

    // The row stays where it is in the document and its neighbour goes round it: taking the
    // row itself out would take the focus from its handle.
    function step(up) {
      var row = lifted.row;
      var neighbour = up ? row.previousElementSibling : row.nextElementSibling;
      if (neighbour && neighbour.hasAttribute("data-reorder-row")) {
        list.insertBefore(neighbour, up ? row.nextElementSibling : row);
      }
      lifted.handle.scrollIntoView({ block: "nearest" });
      renumber();
      say(texts.moved, row);
    }

    function cancel() {
      var row = putDown();
      arrange(saved);
      renumber();
      say(texts.cancelled, row);
    }

    // A click is also what Space and Enter make of a button, and what a screen reader sends.
    list.addEventListener("click", function (event) {
      var handle = event.target.closest("[data-reorder-handle]");
      if (!handle || busy) {
        return;
      }
      var row = handle.closest("[data-reorder-row]");
      if (!lifted) {
        pickUp(row, handle);
      } else if (lifted.row === row) {
        dropped(putDown());
      }
    });

    list.addEventListener("keydown", function (event) {
      if (!lifted || event.target !== lifted.handle) {
        return;
      }
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        step(event.key === "ArrowUp");
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        cancel();
      }
    });

    // Leaving the handle (Tab, a click elsewhere) while a row is picked up puts it back.
    list.addEventListener("focusout", function (event) {
      if (lifted && event.target === lifted.handle) {
        cancel();
      }
    });

    sortable = Sortable.create(list, {
      draggable: "[data-reorder-row]",
      handle: "[data-reorder-handle]",
      dataIdAttr: "data-id",
      // Sortable's own drawing of the dragged row rather than the browser's, so that it looks
      // the same lifted off the list with a mouse, a pen or a finger.
      forceFallback: true,
      animation: reducedMotion ? 0 : 150,
      chosenClass: LIFTED,
      ghostClass: "cairn-reorder-placeholder",
      fallbackClass: DRAGGED,
      onStart: function (event) {
        showError("");
        root.classList.add("cairn-reorder-dragging");
        say(texts.pickedUp, event.item);
      },
      onChange: function (event) {
        renumber();
        // The copy under the pointer shows the number of the place it would drop into.
        Sortable.ghost.querySelector("[data-reorder-number]").textContent = where(event.item).position;
      },
      onEnd: function (event) {
        root.classList.remove("cairn-reorder-dragging");
        dropped(event.item);
      },
    });

    rows().forEach(function (row) {
      row.querySelector("[data-reorder-handle]").hidden = false;
    });
  }

  document.querySelectorAll("[data-reorder]").forEach(setUp);
})();
