/* Tags as chips over a plain text box (input[data-tags]). The text box stays
   the form's field: it is kept as "a, b, c" and the server splits it, so
   without JavaScript the admin types the commas itself. With it, the words
   already there show as chips with a remove button; typing a comma or Enter
   turns the word typed into a chip; Backspace in an empty box removes the last
   one. Labels come from data- attributes (translated in the template). */
(function () {
  "use strict";

  function split(value) {
    var seen = {};
    return value.split(",").map(function (tag) {
      return tag.replace(/\s+/g, " ").trim();
    }).filter(function (tag) {
      var key = tag.toLowerCase();
      if (!tag || seen[key]) return false;
      seen[key] = true;
      return true;
    });
  }

  function enhance(field) {
    var tags = split(field.value);
    var box = document.createElement("div");
    box.className = "tag-input-box";
    var list = document.createElement("ul");
    list.className = "tag-input-chips";
    list.setAttribute("aria-label", field.getAttribute("data-list-label") || "Tags");
    var entry = document.createElement("input");
    entry.type = "text";
    entry.className = "tag-input-entry";
    entry.id = field.id + "_entry";
    entry.placeholder = field.getAttribute("data-entry-label") || "Add a tag";
    if (field.getAttribute("aria-describedby")) {
      entry.setAttribute("aria-describedby", field.getAttribute("aria-describedby"));
    }
    var removeLabel = field.getAttribute("data-remove-label") || "Remove tag %s";

    function sync() {
      field.value = tags.join(", ");
      list.textContent = "";
      tags.forEach(function (tag, index) {
        var item = document.createElement("li");
        item.className = "tag-input-chip";
        var text = document.createElement("span");
        text.textContent = tag;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "tag-input-remove";
        remove.textContent = "\u00d7";
        remove.setAttribute("aria-label", removeLabel.replace("%s", tag));
        remove.addEventListener("click", function () {
          tags.splice(index, 1);
          sync();
          entry.focus();
        });
        item.appendChild(text);
        item.appendChild(remove);
        list.appendChild(item);
      });
    }

    function add() {
      // Nothing typed: leave the chips alone (rebuilding them on blur would
      // swallow a click on a remove button).
      if (!entry.value.trim()) return;
      split(entry.value).forEach(function (tag) {
        var known = tags.some(function (t) { return t.toLowerCase() === tag.toLowerCase(); });
        if (!known) tags.push(tag);
      });
      entry.value = "";
      sync();
    }

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();  // Enter must not submit the whole form
        add();
      } else if (event.key === "Backspace" && entry.value === "" && tags.length) {
        tags.pop();
        sync();
      }
    });
    entry.addEventListener("blur", add);
    // The label of the field now points at the box one types in.
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label) {
      label.setAttribute("for", entry.id);
    } else {
      entry.setAttribute("aria-label", entry.placeholder);
    }
    field.hidden = true;
    box.appendChild(list);
    box.appendChild(entry);
    field.parentNode.insertBefore(box, field.nextSibling);
    field.form && field.form.addEventListener("submit", add);
    sync();
  }

  function init() {
    document.querySelectorAll("input[data-tags]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
