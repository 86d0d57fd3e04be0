/* Small enhancements; every page works without this file. Loaded with defer (no inline scripts:
   the site's Content-Security-Policy allows none).
   - Filter forms fold behind a "Filter" line (details.filter-panel[data-open-wide]): closed on a
     phone, opened here on a wide screen, where there is room for them. */
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      panel.open = true;
    });
  }
})();
