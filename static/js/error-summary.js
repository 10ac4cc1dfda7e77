// After a failed submission the page opens at the error summary (the form's action ends in
// #error-summary); this moves the keyboard and screen-reader focus there too. Without
// JavaScript the browser still scrolls to it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
