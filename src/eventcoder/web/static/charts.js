/* Chart wrappers over the vendored Observable Plot (time series, bars) and d3, shared by the pages.
 *
 * CSP: Plot adds a <style> element to every chart; the pages' policy (style-src 'self') would
 * refuse it and log a violation, so plot() removes it before the chart joins the page, and
 * app.css carries the same rules for the .ecplot class. Nothing here evaluates strings as code,
 * writes HTML strings or sets style attributes (d3-dsv's CSV parsers, which compile code at run
 * time, are never called).
 */
(function () {
  "use strict";
  var EC = window.EC, el = EC.el, fmtNum = EC.fmtNum;

  function plot(opts) {
    var node = Plot.plot(Object.assign({ className: "ecplot" }, opts));
    Array.prototype.forEach.call(node.querySelectorAll("style"), function (s) { s.parentNode.removeChild(s); });
    return node;
  }

  function utc(iso) { return new Date(iso + "T00:00:00Z"); }

  /* Whole-number ticks from 0 to at least `max` (at most ~6 of them). */
  function intTicks(max) {
    max = Math.max(1, Math.ceil(max));
    var step = Math.max(1, Math.ceil(max / 6));
    var nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];
    for (var i = 0; i < nice.length; i++) if (nice[i] >= step) { step = nice[i]; break; }
    var top = Math.ceil(max / step) * step, out = [];
    for (var v = 0; v <= top; v += step) out.push(v);
    return out;
  }

  /* An HTML legend: [{label, color, shape: "line"|"dot"|"bar"}] (no inline style: SVG swatches). */
  function legend(items, label) {
    return el("ul", { "class": "legend chart-keys", "aria-label": label || "Legend" }, items.map(function (it) {
      var sw = EC.svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true", "class": "swatch-svg" },
        it.shape === "line" ? EC.svg("line", { x1: 1, y1: 7, x2: 13, y2: 7, stroke: it.color, "stroke-width": 3 })
          : EC.svg(it.shape === "dot" ? "circle" : "rect", it.shape === "dot" ? { cx: 7, cy: 7, r: 5, fill: it.color }
            : { x: 1, y: 1, width: 12, height: 12, fill: it.color }));
      return el("li", null, sw, " ", it.label);
    }));
  }

  /* A time series: one line (with points) per series over ISO period starts.
   * opts: {periods, series: [{name, color, values}], title, yLabel, integer, yDomain, height,
   *        onPoint(i), pointLabel(i), focusSeries, interval} -> a <div class="ts"> */
  function timeSeries(opts) {
    var data = [], max = 0;
    opts.series.forEach(function (s) {
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) return;
        v = Number(v);
        if (v > max) max = v;
        data.push({ t: utc(opts.periods[i]), v: v, s: s.name, i: i, focus: opts.focusSeries !== undefined && s === opts.series[opts.focusSeries] });
      });
    });
    var names = opts.series.map(function (s) { return s.name; });
    var colors = opts.series.map(function (s) { return s.color; });
    var lines = [], t0 = utc(opts.periods[0]), t1 = utc(opts.periods[opts.periods.length - 1]);
    opts.series.forEach(function (s) {  // gaps (null) break the line
      lines.push(s.values.map(function (v, i) { return { t: utc(opts.periods[i]), v: v === null || v === undefined ? NaN : Number(v), s: s.name }; }));
    });
    var y = { label: opts.yLabel || null, grid: true, nice: !opts.integer };
    if (opts.yDomain) y.domain = opts.yDomain;
    if (opts.integer && !opts.yDomain) { y.ticks = intTicks(max); y.domain = [0, y.ticks[y.ticks.length - 1]]; y.tickFormat = "d"; }
    var pad = t0.getTime() === t1.getTime() ? 3 * 86400000 : 0;
    var chart = plot({
      width: opts.width || 900, height: opts.height || 260, marginLeft: 56, marginBottom: 40,
      ariaLabel: opts.title, x: { type: "utc", label: null, domain: [new Date(t0.getTime() - pad), new Date(t1.getTime() + pad)] },
      y: y, color: { domain: names, range: colors },
      marks: [Plot.ruleY([0], { stroke: "#888" })].concat(lines.map(function (l) {
        return Plot.lineY(l, { x: "t", y: "v", stroke: "s", strokeWidth: 2 });
      })).concat([Plot.dot(data, { x: "t", y: "v", fill: "s", r: opts.periods.length > 60 ? 2.5 : 4,
        title: function (d) { return d.s + ", " + (opts.interval ? opts.interval + " of " : "") + opts.periods[d.i] + ": " + fmtNum(d.v, Number.isInteger(d.v) ? undefined : 2); } })]),
    });
    chart.classList.add("timechart");
    Array.prototype.forEach.call(chart.querySelectorAll('g[aria-label="dot"] circle'), function (c) {
      var d = data[c.__data__];  // Plot binds each mark element to its index in the data
      c.setAttribute("class", "pt");
      c.setAttribute("data-period", opts.periods[d.i]);
      c.setAttribute("data-series", d.s);
      c.setAttribute("data-value", String(d.v));
      if (!opts.onPoint) return;
      c.addEventListener("click", function () { opts.onPoint(d.i); });
      if (d.focus) {
        EC.setAttrs(c, { tabindex: "0", role: "button", "aria-label": opts.pointLabel ? opts.pointLabel(d.i) : opts.periods[d.i] });
        c.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); opts.onPoint(d.i); } });
      }
    });
    return el("div", { "class": "ts" }, opts.title ? el("h3", { "class": "chart-title" }, opts.title) : null,
      opts.series.length > 1 || opts.legend ? legend(opts.series.map(function (s) { return { label: s.name, color: s.color, shape: "line" }; })) : null,
      chart);
  }

  /* Horizontal bars: rows [{label, value, href?, title?}] -> a <div class="bars-chart"> */
  function bars(rows, opts) {
    opts = opts || {};
    var labels = rows.map(function (r) { return r.label; });
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    var ticks = intTicks(max);
    var chart = plot({
      width: opts.width || 520, height: 34 + 24 * rows.length, marginLeft: opts.marginLeft || 120, marginRight: 40,
      ariaLabel: opts.title, x: { label: opts.xLabel || null, grid: true, ticks: ticks, domain: [0, ticks[ticks.length - 1]], tickFormat: "d", axis: "top" },
      y: { label: null, domain: labels },
      marks: [Plot.barX(rows, { x: "value", y: "label", fill: opts.color || "#3b6fb6", title: function (r) { return r.title || (r.label + ": " + r.value); } }),
              Plot.text(rows, { x: "value", y: "label", text: function (r) { return String(r.value); }, dx: 4, textAnchor: "start" }),
              Plot.ruleX([0])],
    });
    chart.classList.add("barchart");
    Array.prototype.forEach.call(chart.querySelectorAll('g[aria-label="bar"] rect'), function (rect) {
      var r = rows[rect.__data__];
      rect.setAttribute("class", "barmark");
      rect.setAttribute("data-label", r.label);
      rect.setAttribute("data-value", String(r.value));
      if (r.href) {
        rect.setAttribute("tabindex", "0");
        rect.setAttribute("role", "link");
        rect.setAttribute("aria-label", (r.title || r.label + ": " + r.value) + ". Press Enter to open.");
        rect.addEventListener("click", function () { location.href = r.href; });
        rect.addEventListener("keydown", function (e) { if (e.key === "Enter") location.href = r.href; });
      }
    });
    return el("div", { "class": "bars-chart" }, opts.title ? el("h3", { "class": "chart-title" }, opts.title) : null, chart);
  }

  /* The one-line note under a series about its span (what the bulk span left out). */
  function spanNote(span, interval) {
    if (!span || !span.start) return "";
    var mode = span.mode === "bulk" ? "the span holding the 1st–99th percentile of the events"
      : span.mode === "all" ? "every dated event" : "the dates chosen";
    var txt = span.periods + " " + interval + (span.periods === 1 ? "" : "s") + " from " + span.start + " (" + mode + ")";
    if (span.outside) txt += "; " + span.outside + " event" + (span.outside === 1 ? "" : "s") + " outside it not shown";
    if (span.not_filled) txt += "; " + span.not_filled;
    return txt + ".";
  }

  EC.charts = { plot: plot, utc: utc, intTicks: intTicks, legend: legend, timeSeries: timeSeries, bars: bars, spanNote: spanNote };
})();
