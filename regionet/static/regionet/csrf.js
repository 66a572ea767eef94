/* The current CSRF token, from Django's cookie, for the scripts that post (autosave, "stay
 * signed in"): read when they send, since signing in again in another tab rotates it. */
window.regionetCsrfToken = function () {
  "use strict";
  var parts = document.cookie ? document.cookie.split("; ") : [];
  for (var i = 0; i < parts.length; i++) {
    var index = parts[i].indexOf("=");
    if (parts[i].slice(0, index) === "csrftoken") {
      return decodeURIComponent(parts[i].slice(index + 1));
    }
  }
  return "";
};
