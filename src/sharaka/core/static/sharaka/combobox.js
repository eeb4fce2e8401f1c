/* Search-as-you-type choices (core.lookups.SearchSelect): the keyboard and the listbox.
 *
 * htmx asks the server for the results (hx-get on the text input) and swaps them into the
 * listbox; this file sends the typed text as ``q``, opens and closes the list, moves the
 * highlighted option with the arrow keys (aria-activedescendant), picks it with Enter or
 * a click, and closes the list with Escape. No inline script: the page's CSP allows only
 * scripts of our own origin. */
(function () {
  "use strict";
  if (window.sharakaCombobox) { return; }
  window.sharakaCombobox = true;

  function parts(el) {
    var box = el.closest("[data-combobox]");
    if (!box) { return null; }
    return {
      box: box,
      input: box.querySelector("[role=combobox]"),
      value: box.querySelector("[data-combobox-value]"),
      list: box.querySelector("[role=listbox]"),
      status: box.querySelector("[data-combobox-status]")
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function open(p) {
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function highlight(p, option) {
    options(p).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(p, option) {
    p.value.value = option.getAttribute("data-value");
    p.input.value = option.getAttribute("data-label");
    close(p);
    p.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var p = parts(evt.detail.elt);
    if (p && evt.detail.elt === p.input) {
      // A row is chosen and the text not edited since: nothing to search (a request
      // still delayed from the typing would reopen the list over the choice).
      if (p.value.value) { evt.preventDefault(); return; }
      evt.detail.parameters.q = p.input.value;
    }
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    var p = parts(evt.detail.target);
    if (!p || evt.detail.target !== p.list) { return; }
    options(p).forEach(function (o, i) {
      o.id = p.list.id + "_" + i;
      o.setAttribute("aria-selected", "false");
    });
    p.status.textContent = p.list.getAttribute("data-status") || "";
    var note = p.list.querySelector("[data-status]");
    if (note) { p.status.textContent = note.getAttribute("data-status"); }
    if (document.activeElement === p.input && !p.value.value) { open(p); }
  });

  document.addEventListener("input", function (evt) {
    var p = parts(evt.target);
    if (p && evt.target === p.input && p.value.value) {
      p.value.value = "";
    }
  });

  document.addEventListener("keydown", function (evt) {
    var p = parts(evt.target);
    if (!p || evt.target !== p.input) { return; }
    var all = options(p);
    var current = all.indexOf(p.list.querySelector("[aria-selected=true]"));
    if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
      evt.preventDefault();
      if (p.list.hidden) { open(p); }
      if (!all.length) { return; }
      var next = evt.key === "ArrowDown" ? current + 1 : current - 1;
      if (next < 0) { next = all.length - 1; }
      if (next >= all.length) { next = 0; }
      highlight(p, all[next]);
    } else if (evt.key === "Enter") {
      if (!p.list.hidden && (current >= 0 || all.length === 1)) {
        evt.preventDefault();
        choose(p, all[Math.max(current, 0)]);
      } else if (!p.list.hidden) {
        evt.preventDefault();
      }
    } else if (evt.key === "Escape") {
      if (!p.list.hidden) {
        evt.preventDefault();
        close(p);
      }
    }
  });

  document.addEventListener("mousedown", function (evt) {
    var option = evt.target.closest && evt.target.closest("[data-combobox] [role=option]");
    if (!option || option.getAttribute("aria-disabled") === "true") { return; }
    evt.preventDefault();
    choose(parts(option), option);
  });

  document.addEventListener("focusout", function (evt) {
    var p = parts(evt.target);
    if (p && evt.target === p.input) { close(p); }
  });
})();
