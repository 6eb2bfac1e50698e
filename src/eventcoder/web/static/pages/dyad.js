/* The dyad view: a pair's events per period by quad class and mean Goldstein (Plot charts over
 * the zero-filled, bulk-span series of GET /dyads/{a}/{b}/series); a point lists its events. */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, QUAD = EC.QUAD, $ = EC.$, el = EC.el, clear = EC.clear,
      showError = EC.showError, status = EC.status, fmtNum = EC.fmtNum, qs = EC.qs,
      formValues = EC.formValues, getJSON = EC.getJSON, charts = EC.charts;

  function pageDyad() {
    var form = $("#dyad-form"), err = $("#dyad-error"), st = $("#dyad-status"), chart = $("#dyad-chart"), evBox = $("#dyad-events");
    function load() {
      var f = formValues(form);
      showError(err, null); clear(evBox);
      if (!f.a || !f.b) { status(st, "Enter two actor or country codes, e.g. USA and RUS."); $("#dyad-figure").hidden = true; return; }
      history.replaceState(null, "", location.pathname + "?" + qs(f));
      var interval = f.interval || "week", a = f.a.toUpperCase(), b = f.b.toUpperCase();
      var norm = f.normalise === "articles", dir = f.directed ? "true" : null;
      status(st, "Loading…");
      getJSON("/dyads/" + encodeURIComponent(a) + "/" + encodeURIComponent(b) + "/series?" +
              qs({ interval: interval, start: f.start, end: f.end, directed: dir, span: f.span, normalise: norm ? "articles" : null })).then(function (res) {
        clear(chart);
        var s = res.series;
        if (!res.span.events) { $("#dyad-figure").hidden = true; status(st, "No events between " + a + " and " + b + " in this period."); return; }
        var periods = s.map(function (r) { return r.period; });
        status(st, res.span.events + " events between " + a + " and " + b + " in " + s.length + " " + interval + (s.length === 1 ? "" : "s") +
               ". Shown: " + charts.spanNote(res.span, interval));
        function pick(i) {
          var start = periods[i], end = EC.periodEnd(start, interval);
          clear(evBox).appendChild(el("p", { "class": "status" }, "Loading the events of " + start + "…"));
          getJSON(P + "/api/dyad/events?" + qs({ a: a, b: b, start: start, end: end, directed: dir })).then(function (r) {
            clear(evBox).appendChild(el("h2", { id: "dyad-events-h" }, "Events " + a + "–" + b + ", " + interval + " of " + start + " (" + r.total + ")"));
            if (!r.events.length) evBox.appendChild(el("p", { "class": "empty" }, "No events in this period."));
            else evBox.appendChild(EC.eventsTable(r.events, "Events from " + start + " to " + end));
            evBox.querySelector("h2").scrollIntoView({ block: "nearest" });
          }, function (ex) { clear(evBox); showError(err, "Could not load the events: " + ex.message); });
        }
        function label(i) {
          var r = s[i];
          return interval + " of " + r.period + ": " + r.events + " events (verbal cooperation " + r.quad1 + ", material cooperation " + r.quad2 +
            ", verbal conflict " + r.quad3 + ", material conflict " + r.quad4 + "), mean Goldstein " + fmtNum(r.goldstein_mean, 2) + ". Press Enter to list them.";
        }
        var dirWord = dir ? " → " : " – ";
        var suffix = norm ? "_per_100_articles" : "";
        chart.appendChild(charts.timeSeries({
          periods: periods, interval: interval, onPoint: pick, integer: !norm,
          title: a + dirWord + b + ": events per " + interval + " by quad class" + (norm ? ", per 100 articles published" : ""),
          yLabel: norm ? "events per 100 articles" : "events per " + interval,
          series: [1, 2, 3, 4].map(function (k) { return { name: QUAD[k].name, color: QUAD[k].color, values: s.map(function (r) { return r["quad" + k + suffix]; }) }; }) }));
        chart.appendChild(charts.timeSeries({
          periods: periods, interval: interval, onPoint: pick, pointLabel: label, focusSeries: 0, height: 200, yDomain: [-10, 10],
          title: a + dirWord + b + ": mean Goldstein score per " + interval, yLabel: "mean Goldstein (−10 … +10)",
          series: [{ name: "mean Goldstein", color: "#3b6fb6", values: s.map(function (r) { return r.goldstein_mean; }) }] }));
        $("#dyad-figure").hidden = false;
      }, function (ex) { status(st, ""); $("#dyad-figure").hidden = true; showError(err, "Could not load the dyad: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    if ($("#d-a").value && $("#d-b").value) load(); else status(st, "Enter two actor or country codes, e.g. USA and RUS.");
  }

  EC.pages.dyad = pageDyad;
})();
