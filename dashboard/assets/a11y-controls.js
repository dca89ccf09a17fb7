/* Accessibility repairs the Dash components cannot be configured for (issue 13, WCAG 2.1 A/AA):
   1. <html lang> follows the UI language when the language switch navigates without a page load (the server sets
      it on the first load: `dashboard/app.py`).
   2. dcc.Dropdown: its Tab stop is a hidden <input aria-hidden="true"> (a focusable element hidden from screen
      readers) and its button is named by the selected value only, not by the visible <label for>. The button
      becomes the Tab stop (the hidden input is removed from layout by a11y-controls.css) and is named by its label
      followed by the value, in the order they are shown; its mouse-only clear cross is hidden from screen readers.
   3. An open dcc.Dropdown's list of options (role "listbox", in a popover outside the control) is named by the
      control's label, as the button is. */
(function () {
  function setLanguage() {
    var lang = new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "pl";
    if (document.documentElement.lang !== lang) { document.documentElement.lang = lang; }
  }

  function repairDropdown(button) {
    if (button.getAttribute("data-a11y") === "1") { return; }
    var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    // Label, then the button's own text (value and "n selected") exactly as shown.
    var names = [button.id];
    if (label) {
      if (!label.id) { label.id = button.id + "-label"; }
      names.unshift(label.id);
    }
    button.setAttribute("aria-labelledby", names.join(" "));
    button.tabIndex = 0;
    var stand_in = button.previousElementSibling;
    if (stand_in && stand_in.classList.contains("dash-dropdown-focus-target")) { stand_in.tabIndex = -1; }
    button.setAttribute("data-a11y", "1");
  }

  function nameMenu(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    var list = menu && menu.querySelector('[role="listbox"]:not([aria-labelledby])');
    var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    if (list && label && label.id) { list.setAttribute("aria-labelledby", label.id); }
  }

  function repair() {
    setLanguage();
    document.querySelectorAll("button.dash-dropdown[id]").forEach(repairDropdown);
    document.querySelectorAll("button.dash-dropdown[id][aria-controls]").forEach(nameMenu);
    // The clear-selection cross inside the button is for the mouse (keys: Delete / Backspace on the button); its
    // aria-label would put words in the name that are not shown (label-content-name-mismatch).
    document.querySelectorAll("button.dash-dropdown .dash-dropdown-clear:not([aria-hidden])").forEach(function (a) {
      a.setAttribute("aria-hidden", "true");
    });
  }

  new MutationObserver(repair).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("popstate", setLanguage);
  repair();
})();
