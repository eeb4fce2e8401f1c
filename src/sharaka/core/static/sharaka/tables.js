// A table wider than the screen scrolls inside its `.table-wrap` (a Gantt chart inside its
// `.gantt-figure`); a person without a mouse must be able to reach it and scroll it with the
// arrow keys (WCAG 2.1.1, axe's "scrollable-region-focusable"). Each one that overflows
// becomes a focusable, named region.
(function () {
  "use strict";
  var SCROLLERS = ".table-wrap, .gantt-figure";
  function label(wrap) {
    var caption = wrap.querySelector("caption, figcaption");
    if (caption) return caption.textContent.trim();
    var section = wrap.closest("section, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }
  function mark(root) {
    (root || document).querySelectorAll(SCROLLERS).forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      if (wrap.tagName !== "FIGURE") wrap.setAttribute("role", "region");  // a figure is one
      var name = label(wrap);
      if (name) wrap.setAttribute("aria-label", name);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { mark(document); });
  window.addEventListener("resize", function () { mark(document); });
  document.addEventListener("htmx:afterSettle", function (event) { mark(event.target); });
})();
