// Binôme's only script of its own (the Content-Security-Policy refuses inline handlers):
// a <select data-submit-on-change> sends its form as soon as a choice is made.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-submit-on-change]") && select.form) {
    select.form.submit();
  }
});

// After an action reloads a page (Lock, Exchange on the matching page), the address's `focus`
// names the id of the control to come back to: the keyboard focus goes there, not to the top; if it
// is gone, to the page's message. The message, already in the page, is put into its live region
// again so that a screen reader announces it.
document.addEventListener("DOMContentLoaded", function () {
  var status = document.querySelector("[data-announce]");
  if (status) {
    var said = status.innerHTML;
    status.innerHTML = "";
    window.setTimeout(function () { status.innerHTML = said; }, 150);
  }
  var focus = new URLSearchParams(window.location.search).get("focus");
  if (!focus) { return; }
  var target = document.getElementById(focus) || status;
  if (target) {
    if (target === status) { status.setAttribute("tabindex", "-1"); }
    target.focus();
  }
});
