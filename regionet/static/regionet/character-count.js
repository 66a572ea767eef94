/* The character count beside a text field with a stated limit (regionet.texts.state_limit):
   "Characters left: 1 234" while typing, "Too long by 12 characters" past the limit. The
   limit is stated in the help text too, so the page says it without JavaScript. */
(function () {
  "use strict";

  function start(message) {
    var field = document.getElementById(message.getAttribute("data-character-count-for"));
    var limit = parseInt(message.getAttribute("data-limit"), 10);
    if (!field || !limit) return;
    var timer = null;
    function update() {
      var left = limit - field.value.length;
      var template = message.getAttribute(left >= 0 ? "data-left" : "data-over");
      message.textContent = template.replace("{count}", String(Math.abs(left)));
      message.classList.toggle("character-count__message--over", left < 0);
    }
    message.hidden = false;
    update();
    // Announced once typing pauses, not at every key.
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 800);
    });
  }

  function startAll() {
    document.querySelectorAll("[data-character-count-for]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
