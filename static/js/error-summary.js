// After a failed submission the page opens at the error summary (the form's action ends in
// #error-summary); this moves the keyboard and screen-reader focus there too. Without
// JavaScript the browser still scrolls to it.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  // Once the stylesheets have laid the page out: a scroll made earlier lands where the
  // summary was before they applied, and the browser then skips its own scroll to it.
  function openAtSummary() {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }
  if (document.readyState === "complete") {
    openAtSummary();
  } else {
    window.addEventListener("load", openAtSummary);
  }
})();
