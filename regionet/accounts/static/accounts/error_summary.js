/* The error summary of a refused form (accounts/includes/error_summary.html) takes the
   keyboard focus when the page opens, so that a screen reader reads it first and Tab goes on
   to its links (GOV.UK's error summary pattern). The summary carries autofocus too; this
   covers browsers that honour autofocus only on form controls. A link of the summary moves
   the focus to its field, not only the scroll position. */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    if (!summary.contains(document.activeElement)) {
      summary.focus({ preventScroll: true });
    }
    // At the top of the window: a sticky bar at the bottom (the section pages' save
    // buttons) would otherwise cover the summary that focusing scrolled to.
    summary.scrollIntoView({ block: "start" });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    // The label above the field comes into view with it (unless it is visually hidden).
    var label = document.querySelector("label[for='" + field.id + "']");
    (label && label.offsetWidth > 1 ? label : field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
