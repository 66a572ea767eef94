/* Fixes to the markup Django's admin scripts build, for WCAG 2.1.
 *
 * The filter boxes of a many-to-many choice (SelectFilter2.js) name their magnifier icon with
 * an aria-label on a plain <span>, which ARIA does not allow (axe: aria-prohibited-attr): it
 * becomes an image of that name. Django builds the boxes on the window's load event; this
 * file is deferred, so its own load handler is registered, and runs, after Django's.
 */
window.addEventListener("load", function () {
  document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
});
