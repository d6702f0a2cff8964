/* A refused form: focus the first field in error (when the browser did not honour `autofocus`), and a click on a
   link of the error summary focuses its field instead of only scrolling to it. Without JavaScript the links still
   scroll to the fields and `autofocus` places the caret. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  var first = document.querySelector('[aria-invalid="true"], [autofocus]');
  if (first && document.activeElement === document.body) {
    first.focus();
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({block: "center"});
      field.focus();
    }
  });
})();
