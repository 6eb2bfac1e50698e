/* The network: countries (or actor codes) as nodes, pairs as edges, laid out by d3-force.
 * Node area: the actor's events with the partners drawn; node colour: its cooperation/conflict
 * balance; edge width: the pair's events; edge colour: their mean Goldstein. A legend says so. */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, $ = EC.$, el = EC.el, clear = EC.clear, showError = EC.showError,
      status = EC.status, fmtNum = EC.fmtNum, qs = EC.qs, formValues = EC.formValues, getJSON = EC.getJSON;
  var W = 900, H = 600, GREY = "#9a9a9a";

  function balanceColor(b) { return b === null || b === undefined ? GREY : d3.interpolateRdYlGn((Number(b) + 1) / 2); }

  function layout(nodes, edges, radius) {
    var sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges).id(function (d) { return d.id; }).distance(90).strength(0.4))
      .force("charge", d3.forceManyBody().strength(-260))
      .force("center", d3.forceCenter(W / 2, H / 2))
      .force("x", d3.forceX(W / 2).strength(0.05)).force("y", d3.forceY(H / 2).strength(0.05))
      .force("collide", d3.forceCollide(function (d) { return radius(d.count) + 6; }))
      .stop();
    for (var i = 0; i < 300; i++) sim.tick();  // a static layout: no animation, same every time
    var xs = d3.extent(nodes, function (d) { return d.x; }), ys = d3.extent(nodes, function (d) { return d.y; });
    var sx = (W - 120) / Math.max(1, xs[1] - xs[0]), sy = (H - 90) / Math.max(1, ys[1] - ys[0]), s = Math.min(1.5, sx, sy);
    var cx = (xs[0] + xs[1]) / 2, cy = (ys[0] + ys[1]) / 2;
    nodes.forEach(function (d) { d.x = W / 2 + (d.x - cx) * s; d.y = H / 2 + 10 + (d.y - cy) * s; });
  }

  function legendSvg(maxN, maxE) {
    var root = d3.create("svg").attr("viewBox", "0 0 900 92").attr("class", "net-legend").attr("role", "img")
      .attr("aria-label", "Legend: node area is the number of events, node colour the balance of cooperation and conflict, " +
            "edge width the events of the pair, edge colour their mean Goldstein score");
    var r = d3.scaleSqrt().domain([0, maxN]).range([3, 22]);
    var g = root.append("g").attr("transform", "translate(10,10)");
    g.append("text").attr("x", 0).attr("y", 8).attr("class", "lg-title").text("Node area: events");
    var x = 8;
    [Math.max(1, Math.round(maxN / 10)), Math.max(1, Math.round(maxN / 2)), maxN].forEach(function (v) {
      g.append("circle").attr("cx", x + r(v)).attr("cy", 48).attr("r", r(v)).attr("fill", "#ccc").attr("stroke", "#555");
      g.append("text").attr("x", x + r(v)).attr("y", 48 + 4).attr("text-anchor", "middle").attr("class", "lg-num").text(String(v));
      x += 2 * r(v) + 12;
    });
    var c = root.append("g").attr("transform", "translate(230,10)");
    c.append("text").attr("y", 8).attr("class", "lg-title").text("Node colour: conflict ↔ cooperation");
    [-1, -0.5, 0, 0.5, 1].forEach(function (b, i) {
      c.append("rect").attr("x", i * 34).attr("y", 18).attr("width", 32).attr("height", 14).attr("fill", balanceColor(b));
    });
    c.append("text").attr("x", 0).attr("y", 46).attr("class", "lg-num").text("all conflict");
    c.append("text").attr("x", 168).attr("y", 46).attr("text-anchor", "end").attr("class", "lg-num").text("all cooperation");
    c.append("rect").attr("x", 0).attr("y", 56).attr("width", 14).attr("height", 14).attr("fill", GREY);
    c.append("text").attr("x", 20).attr("y", 67).attr("class", "lg-num").text("neither (only neutral events)");
    var e = root.append("g").attr("transform", "translate(470,10)");
    e.append("text").attr("y", 8).attr("class", "lg-title").text("Edge width: events of the pair");
    [1, Math.max(1, Math.round(maxE / 2)), maxE].forEach(function (v, i) {
      e.append("line").attr("x1", i * 60).attr("x2", i * 60 + 44).attr("y1", 26).attr("y2", 26).attr("stroke", "#777")
        .attr("stroke-width", (1 + 7 * Math.sqrt(v / maxE)).toFixed(2));
      e.append("text").attr("x", i * 60 + 22).attr("y", 46).attr("text-anchor", "middle").attr("class", "lg-num").text(String(v));
    });
    var k = root.append("g").attr("transform", "translate(680,10)");
    k.append("text").attr("y", 8).attr("class", "lg-title").text("Edge colour: mean Goldstein");
    [-10, -5, 0, 5, 10].forEach(function (v, i) {
      k.append("line").attr("x1", i * 40).attr("x2", i * 40 + 32).attr("y1", 26).attr("y2", 26).attr("stroke", EC.goldsteinColor(v)).attr("stroke-width", 5);
      k.append("text").attr("x", i * 40 + 16).attr("y", 46).attr("text-anchor", "middle").attr("class", "lg-num").text((v > 0 ? "+" : "") + v);
    });
    return root.node();
  }

  function pageNetwork() {
    var form = $("#net-form"), err = $("#net-error"), st = $("#net-status"), chart = $("#net-chart"), side = $("#net-profile");
    function profile(code) {
      side.hidden = false; side.parentNode.classList.add("with-profile");
      clear(side).appendChild(el("h2", { id: "profile-h", tabindex: "-1" }, "Actor " + code));
      side.appendChild(el("p", { "class": "status" }, "Loading the profile…"));
      getJSON("/actors/" + encodeURIComponent(code) + "?" + qs({ start: $("#n-start").value, end: $("#n-end").value, top: 8 })).then(function (p) {
        side.removeChild(side.querySelector(".status"));
        side.appendChild(EC.profileSummary(p, true));
        side.appendChild(el("p", null, el("a", { href: P + "/actors/" + encodeURIComponent(code) }, "Full profile of " + code)));
        $("#profile-h").focus();
      }, function (ex) { side.removeChild(side.querySelector(".status")); side.appendChild(el("p", { "class": "error" }, ex.message)); });
    }
    function load() {
      var f = formValues(form);
      showError(err, null); side.hidden = true; side.parentNode.classList.remove("with-profile");
      history.replaceState(null, "", location.pathname + "?" + qs(f));
      status(st, "Loading…");
      getJSON(P + "/api/network?" + qs(f)).then(function (res) {
        clear(chart); clear($("#net-legend"));
        var what = res.level === "country" ? "countries" : "actors";
        if (!res.edges.length) { $("#net-figure").hidden = true; status(st, "No interactions between distinct " + what + " match (try a longer period or a lower minimum)."); return; }
        status(st, res.nodes.length + " " + what + ", " + res.edges.length + " pairs with at least " + res.min_count + " event" + (res.min_count === 1 ? "" : "s") +
          (res.auto_min_count && res.min_count > 1 ? " (a minimum chosen so that no more than 60 of the " + res.pairs_total + " pairs are drawn)" : "") +
          (res.truncated ? "; the strongest " + res.edges.length + " of " + res.pairs_kept + " pairs are shown" : "") + ".");
        var nodes = res.nodes.map(function (n) { return Object.assign({}, n); });
        var edges = res.edges.map(function (e) { return Object.assign({ source: e.a, target: e.b }, e); });
        var maxN = d3.max(nodes, function (n) { return n.count; }), maxE = d3.max(edges, function (e) { return e.count; });
        var radius = d3.scaleSqrt().domain([0, maxN]).range([3, 22]);
        layout(nodes, edges, function (c) { return radius(c); });
        var root = d3.create("svg").attr("viewBox", "0 0 " + W + " " + H).attr("class", "network").attr("role", "group")
          .attr("aria-label", "Network of " + what);
        root.append("g").attr("class", "edges").selectAll("line").data(edges).join("line")
          .attr("class", "edge").attr("data-a", function (e) { return e.a; }).attr("data-b", function (e) { return e.b; })
          .attr("x1", function (e) { return e.source.x.toFixed(1); }).attr("y1", function (e) { return e.source.y.toFixed(1); })
          .attr("x2", function (e) { return e.target.x.toFixed(1); }).attr("y2", function (e) { return e.target.y.toFixed(1); })
          .attr("stroke", function (e) { return EC.goldsteinColor(e.goldstein_mean); })
          .attr("stroke-width", function (e) { return (1 + 7 * Math.sqrt(e.count / maxE)).toFixed(2); })
          .append("title").text(function (e) { return e.a + " – " + e.b + ": " + e.count + " events (" + e.cooperation + " cooperative, " + e.conflict + " conflictual), mean Goldstein " + fmtNum(e.goldstein_mean, 2); });
        var g = root.append("g").attr("class", "nodes").selectAll("g").data(nodes).join("g")
          .attr("class", "node").attr("tabindex", "0").attr("role", "button").attr("data-id", function (n) { return n.id; })
          .attr("data-balance", function (n) { return n.balance === null ? "" : String(n.balance); })
          .attr("aria-label", function (n) { return (n.name ? n.name + " (" + n.id + ")" : n.id) + ": " + n.count + " events with " + n.degree + " partners. Press Enter for the profile."; })
          .attr("transform", function (n) { return "translate(" + n.x.toFixed(1) + " " + n.y.toFixed(1) + ")"; })
          .on("click", function (ev, n) { profile(n.id); })
          .on("keydown", function (ev, n) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); profile(n.id); } });
        g.append("circle").attr("r", function (n) { return radius(n.count).toFixed(1); }).attr("fill", function (n) { return balanceColor(n.balance); });
        g.append("text").attr("y", function (n) { return -radius(n.count) - 3; }).attr("text-anchor", "middle").text(function (n) { return n.id; });
        g.append("title").text(function (n) {
          return (n.name ? n.name + " (" + n.id + ")" : n.id) + ": " + n.count + " events, " + n.cooperation + " cooperative, " + n.conflict + " conflictual";
        });
        chart.appendChild(root.node());
        $("#net-legend").appendChild(legendSvg(maxN, maxE));
        $("#net-figure").hidden = false;
      }, function (ex) { status(st, ""); $("#net-figure").hidden = true; showError(err, "Could not load the network: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    load();
  }

  EC.pages.network = pageNetwork;
})();
