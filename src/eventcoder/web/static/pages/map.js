/* The map: event locations over the world-atlas basemap (Natural Earth 1:110m, vendored TopoJSON,
 * drawn with topojson-client and d3-geo), one circle per place and quad class. */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, QUAD = EC.QUAD, $ = EC.$, el = EC.el, clear = EC.clear,
      showError = EC.showError, status = EC.status, fmtNum = EC.fmtNum, qs = EC.qs,
      formValues = EC.formValues, getJSON = EC.getJSON, quadBadge = EC.quadBadge;
  var W = 960, H = 500, ATLAS = P + "/static/vendor/world-atlas-2.0.2-countries-110m.json";

  function pageMap() {
    var form = $("#map-form"), err = $("#map-error"), st = $("#map-status"), chart = $("#map-chart"), places = $("#map-places");
    var projection = d3.geoEquirectangular().fitExtent([[4, 4], [W - 4, H - 4]], { type: "Sphere" });
    var path = d3.geoPath(projection);
    var root = d3.create("svg").attr("viewBox", "0 0 " + W + " " + H).attr("class", "worldmap").attr("role", "group")
      .attr("aria-label", "World map of event locations");
    root.append("path").attr("class", "ocean").attr("d", path({ type: "Sphere" }));
    var base = root.append("g").attr("class", "basemap"), gp = root.append("g").attr("class", "points");
    var lg = root.append("g").attr("class", "map-legend").attr("transform", "translate(16," + (H - 80) + ")");
    [1, 2, 3, 4].forEach(function (k, i) {
      lg.append("circle").attr("cx", 6).attr("cy", i * 16).attr("r", 5).attr("fill", QUAD[k].color);
      lg.append("text").attr("x", 16).attr("y", i * 16 + 4).text(QUAD[k].name);
    });
    chart.appendChild(root.node());
    getJSON(ATLAS).then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries).features;
      base.selectAll("path").data(countries).join("path").attr("class", "country")
        .attr("data-id", function (c) { return c.id || ""; }).attr("d", path)
        .append("title").text(function (c) { return c.properties.name + (c.id ? " (" + c.id + ")" : ""); });
      base.append("path").attr("class", "borders").attr("fill", "none")
        .attr("d", path(topojson.mesh(topo, topo.objects.countries, function (a, b) { return a !== b; })));
    }, function (ex) { showError(err, "The basemap could not be loaded: " + ex.message); });

    function load() {
      var f = formValues(form);
      showError(err, null);
      history.replaceState(null, "", location.pathname + "?" + qs(f));
      status(st, "Loading…");
      getJSON(P + "/api/map?" + qs(f)).then(function (res) {
        gp.selectAll("*").remove(); clear(places);
        var pts = res.points;
        if (!pts.length) {
          status(st, "No events with a location match these filters" + (res.unplaced ? " (" + res.unplaced + " matching events have no location)." : "."));
          return;
        }
        status(st, res.total + " located events at " + pts.length + " place/class points" + (res.unplaced ? "; " + res.unplaced + " matching events have no location." : "."));
        var r = d3.scaleSqrt().domain([0, d3.max(pts, function (p) { return p.count; })]).range([2, 14]);
        var href = function (p) { return P + "/events?" + qs(Object.assign({}, f, { place: p.name, quad_class: p.quad_class })); };
        var a = gp.selectAll("a").data(pts.slice().sort(function (x, y) { return y.count - x.count; })).join("a")
          .attr("href", href).attr("class", "pt")
          .attr("aria-label", function (p) { return (p.name || "?") + ": " + p.count + " " + (QUAD[p.quad_class] || QUAD[0]).name + " events"; });
        a.append("circle").attr("cx", function (p) { return projection([p.lon, p.lat])[0].toFixed(1); })
          .attr("cy", function (p) { return projection([p.lon, p.lat])[1].toFixed(1); })
          .attr("r", function (p) { return r(p.count).toFixed(1); }).attr("fill", function (p) { return (QUAD[p.quad_class] || QUAD[0]).color; })
          .attr("data-quad", function (p) { return p.quad_class; })
          .append("title").text(function (p) {
            return (p.name || "?") + (p.country ? " (" + p.country + ")" : "") + ": " + p.count + " " + (QUAD[p.quad_class] || QUAD[0]).name + " events, mean Goldstein " + fmtNum(p.goldstein_mean, 2);
          });
        var t = el("table", { "class": "data" }, el("caption", null, "Places (the same data as the map)"),
          el("thead", null, el("tr", null, ["Place", "Country", "Quad class", "Events", "Mean Goldstein"].map(function (h) { return el("th", { scope: "col" }, h); }))));
        var tb = el("tbody");
        pts.slice(0, 200).forEach(function (p) {
          tb.appendChild(el("tr", null, el("td", null, el("a", { href: href(p) }, p.name || "?")),
            el("td", null, p.country || "—"), el("td", null, quadBadge(p.quad_class)), el("td", { "class": "num" }, String(p.count)), el("td", { "class": "num" }, fmtNum(p.goldstein_mean, 2))));
        });
        t.appendChild(tb);
        places.appendChild(t);
      }, function (ex) { status(st, ""); showError(err, "Could not load the map: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    load();
  }

  EC.pages.map = pageMap;
})();
