/* Committee mode (/rada): keyboard navigation between slides.
   ← / PageUp: previous, → / PageDown: next, Home: first, End: last. The keys press the visible buttons, so the
   keyboard and the mouse take exactly the same path (Dash callback → URL → slide). Served from assets/ (CSP:
   script-src 'self'); no inline script. */
(function () {
  "use strict";
  var KEYS = {
    ArrowLeft: "committee-prev", PageUp: "committee-prev",
    ArrowRight: "committee-next", PageDown: "committee-next",
    Home: "committee-first", End: "committee-last"
  };
  function typingInto(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    // Radio buttons and dropdowns use the arrow keys themselves.
    return tag === "input" || tag === "select" || tag === "textarea" || target.isContentEditable ||
      (target.closest && target.closest(".dash-dropdown, .Select, [role='listbox'], [role='combobox']"));
  }
  document.addEventListener("keydown", function (event) {
    var buttonId = KEYS[event.key];
    if (!buttonId || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    if (!document.getElementById("committee-slide") || typingInto(event.target)) { return; }
    var button = document.getElementById(buttonId);
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  });
})();
