/* The municipality chooser, enhanced. Without this file the page works as it is: each region
 * is a <details> that opens with Enter or a click, and the filter's button saves what is
 * ticked and narrows the list on the server. With it:
 *  - the list narrows while one types in the filter (names in every language, and the
 *    region's name, as data-name holds them), opening the regions that have matches and
 *    hiding the others; the number shown is announced in a polite live region;
 *  - Enter in the filter does not send the form, and its button goes (the filtering is
 *    already done);
 *  - clearing the filter brings back the regions as they were, open or closed;
 *  - each region's "chosen" count follows the ticks.
 */
(function () {
  "use strict";

  function chooser(box) {
    var input = box.querySelector("input[type=search]");
    var result = box.querySelector("[aria-live]");
    var form = input && input.form;
    if (!input || !result || !form) return;
    var groups = Array.prototype.slice.call(
      form.querySelectorAll("details[data-municipality-group]")
    );
    var openBefore = null;

    // Removed rather than hidden: the site's button style would show a hidden one.
    box.querySelectorAll("[data-municipality-filter-button]").forEach(function (button) {
      if (button.value === "filter") button.remove();
    });

    function filter() {
      var query = input.value.trim().toLowerCase();
      if (query && openBefore === null) {
        openBefore = groups.map(function (group) {
          return group.open;
        });
      }
      var shown = 0;
      groups.forEach(function (group, index) {
        var visible = 0;
        group.querySelectorAll("li[data-name]").forEach(function (item) {
          var match = !query || item.getAttribute("data-name").indexOf(query) !== -1;
          item.hidden = !match;
          if (match) visible++;
        });
        group.hidden = visible === 0;
        if (query) {
          group.open = visible > 0;
        } else if (openBefore !== null) {
          group.open =
            openBefore[index] || group.querySelector("input[type=checkbox]:checked") !== null;
        }
        shown += visible;
      });
      if (!query) openBefore = null;
      result.textContent = query
        ? box.getAttribute("data-shown").replace("{count}", String(shown))
        : "";
    }

    function count(group) {
      var chosen = parseInt(group.getAttribute("data-hidden-chosen"), 10) || 0;
      chosen += group.querySelectorAll("input[type=checkbox]:checked").length;
      var number = group.querySelector("[data-chosen-count]");
      var label = group.querySelector("[data-chosen]");
      if (number && label) {
        number.textContent = String(chosen);
        label.hidden = chosen === 0;
      }
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    groups.forEach(function (group) {
      group.addEventListener("change", function () {
        count(group);
      });
    });
    if (input.value.trim()) filter();
  }

  function start() {
    document.querySelectorAll("[data-municipality-filter]").forEach(chooser);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
