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
  // Presentation mode: only the slide, as large as the screen. The class sits on <html>, so it survives the
  // re-rendering of the page when the slide changes; full screen is requested where the browser allows it.
  function setPresenting(on) {
    var root = document.documentElement;
    root.classList.toggle("presenting", on);
    var button = document.getElementById("committee-present");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
    if (on && root.requestFullscreen && !document.fullscreenElement) {
      root.requestFullscreen().catch(function () { /* not allowed here: the class alone still applies */ });
    } else if (!on && document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
  }
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("#committee-present")) {
      setPresenting(!document.documentElement.classList.contains("presenting"));
    }
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) { setPresenting(false); }
  });
  document.addEventListener("keydown", function (event) {
    if (document.getElementById("committee-slide") && !typingInto(event.target)) {
      if (event.key === "p" || event.key === "P") { setPresenting(!document.documentElement.classList.contains("presenting")); return; }
      if (event.key === "Escape" && document.documentElement.classList.contains("presenting")) { setPresenting(false); return; }
    }
    var buttonId = KEYS[event.key];
    if (!buttonId || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    if (!document.getElementById("committee-slide") || typingInto(event.target)) { return; }
    var button = document.getElementById(buttonId);
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  });
})();
