/* The warning before an idle sign-out (regionet.accounts.session_limits). The server signs a
 * session out after a time without requests; this script knows from the page how long is
 * left, counts down, and a few minutes before the end opens a dialog: "Stay signed in" posts
 * to the keep-alive address, which counts as activity. Requests of the page itself (an
 * autosave of an application's section) count too, and so do other tabs of the site (they
 * share the deadline through localStorage). When the time is up, the dialog says so and
 * offers to sign in again; the page is left as it is, so no text on it is lost.
 * Without JavaScript the dialog stays closed and the server's limits apply as they are.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "regionet.session.idleDeadline";
  var dialog = document.querySelector("[data-session-warning]");
  if (!dialog || typeof dialog.showModal !== "function") return;

  function seconds(name) {
    return parseInt(dialog.getAttribute(name), 10) || 0;
  }

  var started = Date.now();
  var idleDeadline = started + seconds("data-idle-seconds") * 1000;
  var absoluteDeadline = started + seconds("data-absolute-seconds") * 1000;
  var idleLimit = seconds("data-idle-limit") * 1000;
  var stampInterval = seconds("data-stamp-interval") * 1000;
  var warning = seconds("data-warning-seconds") * 1000;
  var keepAliveUrl = dialog.getAttribute("data-keep-alive-url");
  var state = null;
  var dismissedAbsolute = false;
  var endShown = false;

  function clock(deadline) {
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
    }).format(new Date(deadline));
  }

  function show(name, deadline) {
    dialog.querySelectorAll("[data-session-state]").forEach(function (part) {
      part.hidden = part.getAttribute("data-session-state") !== name;
    });
    var part = dialog.querySelector('[data-session-state="' + name + '"]');
    part.querySelectorAll("[data-session-time]").forEach(function (slot) {
      slot.textContent = deadline ? clock(deadline) : "";
    });
    state = name;
    if (!dialog.open) {
      dialog.showModal();
    }
    var first = part.querySelector("button, a");
    if (first) first.focus();
  }

  function close() {
    state = null;
    if (dialog.open) dialog.close();
  }

  function share() {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(idleDeadline));
    } catch (error) {
      /* Storage may be off: each tab then counts on its own. */
    }
  }

  function extendTo(deadline, shared) {
    if (deadline <= idleDeadline) return;
    idleDeadline = deadline;
    if (shared) share();
    if (state === "idle") close();
  }

  function ended() {
    endShown = true;
    show("ended");
  }

  function tick() {
    var now = Date.now();
    var end = Math.min(idleDeadline, absoluteDeadline);
    if (now >= end) {
      if (!endShown) ended();
      return;
    }
    if (absoluteDeadline <= idleDeadline) {
      if (now >= absoluteDeadline - warning && state === null && !dismissedAbsolute) {
        show("absolute", absoluteDeadline);
      }
    } else if (now >= idleDeadline - warning && state === null) {
      show("idle", idleDeadline);
    }
  }

  function stay() {
    var request = new XMLHttpRequest();
    request.open("POST", keepAliveUrl);
    request.setRequestHeader("X-CSRFToken", window.regionetCsrfToken());
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status === 200) {
        var left = JSON.parse(request.responseText);
        absoluteDeadline = Date.now() + left.absolute * 1000;
        extendTo(Date.now() + left.idle * 1000, true);
        close();
        tick();
      } else {
        ended();
      }
    };
    request.onerror = function () {
      /* Offline: the dialog stays; the next press tries again. */
    };
    request.send();
  }

  // The page's own requests reach the server: it stamped the activity at most a stamp
  // interval ago, so the session lasts at least that much less than a full idle limit.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status === 401) {
      ended();
    } else if (xhr && xhr.status > 0) {
      extendTo(Date.now() + idleLimit - stampInterval, true);
    }
  });

  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY && event.newValue) {
      extendTo(parseInt(event.newValue, 10) || 0, false);
    }
  });

  dialog.querySelector("[data-session-stay]").addEventListener("click", stay);
  dialog.querySelectorAll("[data-session-close]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (state === "absolute") dismissedAbsolute = true;
      close();
    });
  });
  // Escape closes a dialog: the user is here, which is what "Stay signed in" says.
  dialog.addEventListener("cancel", function (event) {
    if (state === "idle") {
      event.preventDefault();
      stay();
    } else if (state === "absolute") {
      dismissedAbsolute = true;
    }
  });

  share();
  window.setInterval(tick, 1000);
})();
