/* Controls write their value into the URL and the page re-renders from it (so links restore views).
   Re-rendering replaces the focused control; put keyboard focus back on the control with the same id,
   so keyboard and screen-reader users do not lose their place. */
(function () {
  var lastId = null;
  document.addEventListener("focusin", function (event) {
    var el = event.target.closest("[id]");
    if (el && el.id) { lastId = el.id; }
  });
  new MutationObserver(function () {
    if (!lastId || (document.activeElement && document.activeElement !== document.body)) { return; }
    var el = document.getElementById(lastId);
    if (!el) { return; }
    // In a radio group the checked option is the one to focus (a selector list would return the first input).
    var target = el.matches("input, select, textarea, button, a, [tabindex]") ? el :
      (el.querySelector("input:checked") || el.querySelector("input, select, button, [tabindex]") || el);
    target.focus({ preventScroll: true });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
