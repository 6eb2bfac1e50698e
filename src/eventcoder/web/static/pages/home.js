/* The home page: events over time (Plot, zero-filled over the bulk span), the top country pairs
 * and the mix of PLOVER types (Plot bars linking to the dyad view and the explorer). */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, QUAD = EC.QUAD, $ = EC.$, showError = EC.showError,
      status = EC.status, qs = EC.qs, getJSON = EC.getJSON, charts = EC.charts;

  function pageHome() {
    if (!$("#home-charts")) return;  // an empty store: nothing to draw
    getJSON(P + "/api/home").then(function (res) {
      var t = res.over_time, s = t.series;
      status($("#home-status"), "");
      if (s.length) {
        $("#home-time-chart").appendChild(charts.timeSeries({
          periods: s.map(function (r) { return r.period; }), interval: t.interval, integer: true, legend: true,
          title: "Events per " + t.interval + ", all actors", yLabel: "events per " + t.interval,
          series: [{ name: "all events", color: "#3b6fb6", values: s.map(function (r) { return r.events; }) },
                   { name: "cooperation (quad 1–2)", color: QUAD[2].color, values: s.map(function (r) { return r.cooperation; }) },
                   { name: "conflict (quad 3–4)", color: QUAD[4].color, values: s.map(function (r) { return r.conflict; }) }] }));
        $("#home-time-caption").textContent = "Events over time. Shown: " + charts.spanNote(t.span, t.interval);
      }
      if (res.top_dyads.length) {
        $("#home-dyads-chart").appendChild(charts.bars(res.top_dyads.map(function (d) {
          return { label: d.a + " – " + d.b, value: d.events, href: P + "/dyad?" + qs({ a: d.a, b: d.b }),
                   title: d.a + " – " + d.b + ": " + d.events + " events, mean Goldstein " + EC.fmtNum(d.goldstein_mean, 2) };
        }), { title: "Top " + res.top_dyads.length + " country pairs", xLabel: "events", marginLeft: 90 }));
      }
      $("#home-types-chart").appendChild(charts.bars(res.types.map(function (r) {
        return { label: r.type, value: r.events, href: r.type === "(none)" ? null : P + "/events?" + qs({ plover_type: r.type }) };
      }), { title: "Events by PLOVER type", xLabel: "events", marginLeft: 100, color: "#7b5ea7" }));
    }, function (ex) { status($("#home-status"), ""); showError($("#home-error"), "Could not load the charts: " + ex.message); });
  }

  EC.pages.home = pageHome;
})();
