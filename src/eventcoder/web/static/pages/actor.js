/* An actor profile: counts, names, partners, event mix (Plot bars) and the cooperation/conflict
 * trend (Plot time series over the zero-filled, bulk-span trend of GET /actors/{code}). */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, QUAD = EC.QUAD, $ = EC.$, el = EC.el, status = EC.status,
      showError = EC.showError, qs = EC.qs, getJSON = EC.getJSON, charts = EC.charts;

  function mixRows(p, k) {
    return ((p.event_mix && p.event_mix[k]) || []).map(function (r) {
      var label = r.value === null ? "(none)" : k === "quad_class" && QUAD[r.value] ? r.value + " " + QUAD[r.value].name : String(r.value);
      var f = {}; f[k] = r.value === null ? null : r.value;
      return { label: label, value: r.events, href: r.value === null ? null : P + "/events?" + qs(Object.assign({ actor: p.code }, f)) };
    });
  }

  function pageActor() {
    var code = document.body.dataset.code, box = $("#actor-view");
    getJSON("/actors/" + encodeURIComponent(code)).then(function (p) {
      status($("#actor-status"), "");
      box.appendChild(el("p", null, el("a", { href: P + "/events?" + qs({ actor: p.code }) }, "All events with " + p.code + " in the explorer")));
      box.appendChild(EC.profileSummary(p, false));
      var mix = el("section", { "class": "mix" }, el("h2", null, "Event mix"));
      [["plover_type", "PLOVER type"], ["quad_class", "Quad class"], ["status", "Status"]].forEach(function (k) {
        var rows = mixRows(p, k[0]);
        if (rows.length) mix.appendChild(charts.bars(rows, { title: p.code + ": events by " + k[1].toLowerCase(), xLabel: "events", marginLeft: 150 }));
      });
      box.appendChild(mix);
      if (p.trend && p.trend.length) {
        var periods = p.trend.map(function (r) { return r.period; });
        var sec = el("section", { "class": "trend" }, el("h2", null, "Trend"));
        sec.appendChild(charts.timeSeries({ periods: periods, interval: "month", integer: true, legend: true,
          title: p.code + ": cooperation and conflict per month", yLabel: "events per month",
          series: [{ name: "cooperation (quad 1–2)", color: QUAD[2].color, values: p.trend.map(function (r) { return r.cooperation; }) },
                   { name: "conflict (quad 3–4)", color: QUAD[4].color, values: p.trend.map(function (r) { return r.conflict; }) }] }));
        sec.appendChild(el("p", { "class": "muted" }, "Shown: " + charts.spanNote(p.trend_span, "month")));
        box.appendChild(sec);
      }
    }, function (ex) {
      status($("#actor-status"), "");
      showError($("#actor-error"), ex.status === 404 ? "No events with actor " + code + " are stored." : "Could not load the profile: " + ex.message);
    });
  }

  EC.pages.actor = pageActor;
})();
