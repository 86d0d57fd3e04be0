/* Charts speak the page's language: plotly.js's own words (day and month names on date axes, its
   date format) follow <html lang>. Loaded after plotly.js and vendor/chart-locales/<lang>.js,
   before the charts' inline scripts; "en" is built into plotly.js. */
Plotly.setPlotConfig({ locale: document.documentElement.lang || "id" });
