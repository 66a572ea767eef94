/* Autosave of an application's section forms. The forms work without this file (HTMX and
 * this script only enhance them); it
 *  - lets HTMX swap in the status fragments of 401 (signed out), 403 (no longer editable),
 *    409 (someone else saved first) and 422 (not saved: errors), which HTMX 2 leaves out by
 *    default, and only those (they carry an X-Save-Status header);
 *  - sends the current CSRF token (regionet/csrf.js), because signing in again in another
 *    tab rotates it;
 *  - pauses autosave on a form after a conflict, so the refused text is not sent again;
 *  - reports lost connections and server errors in the status line.
 * Character counts are regionet/character-count.js's; the municipality filter is
 * municipalities.js's.
 */
(function () {
  "use strict";

  // HTMX 2 swaps only 2xx answers (htmx.config.responseHandling). The section views mark
  // their status fragments with an X-Save-Status header, also on 401, 403, 409 and 422: those
  // are swapped in; any other error page (a CSRF failure, a server error) is not, and the
  // status line says so instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.getResponseHeader("X-Save-Status")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function autosaveForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.hasAttribute && elt.hasAttribute("data-autosave") ? elt : null;
  }

  function say(form, attribute) {
    var status = form.querySelector("#save-status");
    if (status && status.getAttribute(attribute)) {
      status.textContent = status.getAttribute(attribute);
    }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (!autosaveForm(event)) return;
    var token = window.regionetCsrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
      event.detail.parameters["csrfmiddlewaretoken"] = token;
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event);
    if (!form) return;
    if (form.hasAttribute("data-autosave-paused")) {
      event.preventDefault();
    } else {
      form.setAttribute("data-autosave-busy", "");
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event);
    if (!form) return;
    form.removeAttribute("data-autosave-busy");
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      form.setAttribute("data-autosave-paused", "");
    }
  });

  // Pressing Save while an autosave is on its way would send the version the autosave is
  // about to replace, and the save would be refused as someone else's: wait for the
  // autosave's answer (it brings the new version), then submit. No autosave after Save.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.hasAttribute || !form.hasAttribute("data-autosave")) return;
      form.setAttribute("data-autosave-paused", "");
      if (!form.hasAttribute("data-autosave-busy")) return;
      event.preventDefault();
      var submitter = event.submitter || null;
      form.addEventListener(
        "htmx:afterRequest",
        function () {
          window.setTimeout(function () {
            form.removeAttribute("data-autosave-busy");
            form.requestSubmit(submitter);
          }, 0);
        },
        { once: true }
      );
    },
    true
  );

  document.addEventListener("htmx:sendError", function (event) {
    var form = autosaveForm(event);
    if (form) say(form, "data-offline-message");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var form = autosaveForm(event);
    if (form) say(form, "data-error-message");
  });

  function start() {
    document.querySelectorAll("[data-autosave-note]").forEach(function (note) {
      note.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
