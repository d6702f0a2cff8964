/* The main navigation folds into its "Danh mục" button on a phone-width window and stays open on a wider one.
   It is a <details> element: without JavaScript it is open, and a phone user can still fold it. */
(function () {
  "use strict";
  var menu = document.querySelector(".main-nav__menu");
  if (!menu || !window.matchMedia) {
    return;
  }
  var phone = window.matchMedia("(max-width: 39.99rem)");
  function fit() {
    menu.open = !phone.matches;
  }
  fit();
  phone.addEventListener("change", fit);
})();
