// Binôme's only script of its own (the Content-Security-Policy refuses inline handlers):
// a <select data-submit-on-change> sends its form as soon as a choice is made.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-submit-on-change]") && select.form) {
    select.form.submit();
  }
});
