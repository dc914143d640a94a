/* Ordering questions without a reload (progressive enhancement: without it the
   Up and Down buttons post the page and the server moves the item).

   With it the buttons move the item in place, a handle lets a mouse or a finger
   drag it, the hidden "<field>-order" input follows the list (autosave then
   saves it with the rest of the page) and each move is announced in a polite
   live region ("“X” moved to position 2 of 4."). Focus stays on the moved
   item's button. */
(function () {
  "use strict";

  function init(list) {
    var fieldset = list.closest("fieldset");
    var input = fieldset && fieldset.querySelector("[data-order-input]");
    if (!input) return;
    var how = fieldset.querySelector("[data-label-js]");
    if (how) how.textContent = how.getAttribute("data-label-js");
    var region = document.createElement("div");
    region.className = "visually-hidden";
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    list.parentNode.insertBefore(region, list.nextSibling);

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll(":scope > [data-item-id]"));
    }

    function sync() {
      var all = items();
      input.value = all
        .map(function (li) {
          return li.getAttribute("data-item-id");
        })
        .join(",");
      input.setAttribute("data-moved", "1");
      all.forEach(function (li, index) {
        li.querySelector('[data-move="up"]').disabled = index === 0;
        li.querySelector('[data-move="down"]').disabled = index === all.length - 1;
      });
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function announce(li) {
      var all = items();
      var text = (list.getAttribute("data-label-moved") || "")
        .replace("%(item)s", li.querySelector(".me-auto").textContent.trim())
        .replace("%(position)s", String(all.indexOf(li) + 1))
        .replace("%(count)s", String(all.length));
      region.textContent = text;
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button || !list.contains(button)) return;
      event.preventDefault();
      var li = button.closest("[data-item-id]");
      var up = button.getAttribute("data-move") === "up";
      var other = up ? li.previousElementSibling : li.nextElementSibling;
      if (!other) return;
      if (up) list.insertBefore(li, other);
      else list.insertBefore(other, li);
      sync();
      // At the top (or bottom) the pressed button is now disabled: keep focus on
      // the item with its other button.
      var focus = button.disabled
        ? li.querySelector('[data-move="' + (up ? "down" : "up") + '"]')
        : button;
      focus.focus();
      announce(li);
    });

    // Dragging by a handle (pointer events: mouse, pen and touch alike).
    items().forEach(function (li) {
      var handle = document.createElement("span");
      handle.className = "ordering-handle";
      handle.setAttribute("aria-hidden", "true");
      handle.textContent = "⠿";
      li.insertBefore(handle, li.firstChild);
    });

    var dragged = null;
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".ordering-handle");
      if (!handle) return;
      event.preventDefault();
      dragged = handle.closest("[data-item-id]");
      dragged.classList.add("is-dragging");
      handle.setPointerCapture(event.pointerId);
    });
    list.addEventListener("pointermove", function (event) {
      if (!dragged) return;
      var all = items();
      for (var i = 0; i < all.length; i++) {
        var li = all[i];
        if (li === dragged) continue;
        var box = li.getBoundingClientRect();
        var middle = box.top + box.height / 2;
        var index = all.indexOf(dragged);
        if (i < index && event.clientY < middle) {
          list.insertBefore(dragged, li);
          return;
        }
        if (i > index && event.clientY > middle) {
          list.insertBefore(dragged, li.nextSibling);
          return;
        }
      }
    });
    function drop() {
      if (!dragged) return;
      var li = dragged;
      dragged = null;
      li.classList.remove("is-dragging");
      if (input.value !== items().map(function (x) { return x.getAttribute("data-item-id"); }).join(",")) {
        sync();
        announce(li);
      }
    }
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", drop);
  }

  document.querySelectorAll("[data-ordering]").forEach(init);
})();
