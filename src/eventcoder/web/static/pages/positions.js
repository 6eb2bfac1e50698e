/* Positions on an issue: grouped by resolved actor (code, else name), a page of actors at a time
 * (the page says when it truncates), a Plot timeline of their stances, and proposals with the
 * responses that answer them. */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, STANCE = EC.STANCE, $ = EC.$, el = EC.el, clear = EC.clear,
      showError = EC.showError, status = EC.status, qs = EC.qs, getJSON = EC.getJSON,
      articleUrl = EC.articleUrl, charts = EC.charts;

  /* A resolved actor: its code and the names it goes by in these positions ("JPNGOV (Shigeru
   * Ishiba, Tokyo)"); an unresolved one: its words. */
  function groupLabel(g) {
    var names = (g.names || []).filter(function (n) { return n && n !== g.code; });
    if (!g.code) return g.name || g.actor;
    return names.length ? g.code + " (" + names.slice(0, 3).join(", ") + (names.length > 3 ? ", …" : "") + ")" : g.code;
  }
  function who(p) { return (p.actor_name || p.actor_text || "unattributed") + (p.actor_code ? " (" + p.actor_code + ")" : ""); }
  function posItem(p) {
    return el("li", null, el("span", { "class": "badge stance-" + p.stance }, p.stance), " ", el("strong", null, who(p)), " ",
      el("span", { "class": "muted" }, p.date || "undated"), ": ",
      el("a", { href: articleUrl(p.article_id) }, el("q", null, p.evidence || "")));
  }

  function timeline(res) {
    var label = {};
    res.actors.forEach(function (g) { label[g.actor] = groupLabel(g); });
    var dated = res.positions.filter(function (p) { return p.date; });
    if (!dated.length) return null;
    var rows = res.actors.map(function (g) { return label[g.actor]; });
    var stances = Object.keys(STANCE);
    var chart = charts.plot({
      width: 900, height: 60 + 28 * rows.length, marginLeft: 220, marginBottom: 40,
      ariaLabel: "Positions on " + res.issue + " over time, by actor",
      x: { type: "utc", label: null, grid: true }, y: { domain: rows, label: null },
      color: { domain: stances, range: stances.map(function (s) { return STANCE[s]; }) },
      marks: [Plot.dot(dated, { x: function (p) { return charts.utc(p.date); }, y: function (p) { return label[p.actor_key]; },
        fill: "stance", r: 6, title: function (p) { return who(p) + " — " + p.stance + " (" + p.date + "): " + (p.evidence || ""); } })],
    });
    Array.prototype.forEach.call(chart.querySelectorAll('g[aria-label="dot"] circle'), function (c) {
      var p = dated[c.__data__];
      c.setAttribute("class", "mark");
      c.setAttribute("data-stance", p.stance);
      c.setAttribute("data-actor", p.actor_key);
    });
    return el("div", null, charts.legend(stances.map(function (s) { return { label: s, color: STANCE[s], shape: "dot" }; }), "Stances"), chart);
  }

  function pagePositions() {
    var form = $("#pos-form"), sel = $("#p-issue"), err = $("#pos-error"), st = $("#pos-status");
    var chart = $("#pos-chart"), props = $("#pos-proposals"), list = $("#pos-list"), pager = $("#pos-pager");
    var offset = Number(new URLSearchParams(location.search).get("offset") || 0) || 0;
    function draw(res) {
      clear(chart); clear(props); clear(list); pager.hidden = true;
      if (!res.positions.length) { $("#pos-figure").hidden = true; status(st, "No positions on this issue."); return; }
      var from = res.offset + 1, to = res.offset + res.actors.length;
      var cut = res.actors.filter(function (g) { return g.truncated; });
      status(st, res.positions_total + " positions on “" + res.issue + "” by " + res.actors_total + " actors; showing actors " + from + "–" + to +
        (res.actors_total > to || res.offset ? " of " + res.actors_total : "") + ", " + res.proposals_total + " proposals." +
        (cut.length ? " " + cut.length + " actor" + (cut.length === 1 ? " has" : "s have") + " more positions than shown (the first " + cut[0].shown + " each)." : "") +
        (res.proposals_truncated ? " The first " + res.proposals.length + " proposals are listed." : ""));
      var tl = timeline(res);
      if (tl) { chart.appendChild(tl); $("#pos-figure").hidden = false; } else { $("#pos-figure").hidden = true; }
      props.appendChild(el("h2", null, "Proposals and responses"));
      if (!res.proposals.length) props.appendChild(el("p", { "class": "empty" }, "No proposals on this issue."));
      res.proposals.forEach(function (p) {
        var card = el("article", { "class": "proposal" }, el("h3", null, who(p) + " proposed" + (p.date ? " (" + p.date + ")" : "")),
          el("blockquote", null, p.evidence || ""), el("p", null, el("a", { href: articleUrl(p.article_id) }, p.article_title || "article")));
        if (p.responses.length) card.appendChild(el("ul", { "class": "responses", "aria-label": "Responses" }, p.responses.map(posItem)));
        else card.appendChild(el("p", { "class": "empty" }, "No recorded responses."));
        props.appendChild(card);
      });
      list.appendChild(el("h2", null, "Positions by actor"));
      res.actors.forEach(function (g) {
        var mine = res.positions.filter(function (p) { return p.actor_key === g.actor; });
        list.appendChild(el("section", { "class": "actor-positions", "data-actor": g.actor },
          el("h3", null, groupLabel(g) + ": " + g.positions + " position" + (g.positions === 1 ? "" : "s") +
             (g.truncated ? " (the first " + g.shown + " shown)" : "")),
          el("ul", { "class": "positions" }, mine.map(posItem))));
      });
      if (res.actors_total > res.actors.length) {
        pager.hidden = false;
        $("#pos-page-info").textContent = "Actors " + from + "–" + to + " of " + res.actors_total;
        $("#pos-prev").disabled = res.offset <= 0;
        $("#pos-next").disabled = to >= res.actors_total;
        $("#pos-prev").onclick = function () { offset = Math.max(0, res.offset - res.limit); load(res.issue); };
        $("#pos-next").onclick = function () { offset = res.offset + res.limit; load(res.issue); };
      }
    }
    function load(issue) {
      showError(err, null);
      status(st, "Loading…");
      getJSON(P + "/api/positions?" + qs({ issue: issue, offset: offset || null })).then(function (res) {
        if (!res.available) { status(st, "This store has no positions table yet."); return; }
        if (sel.options.length <= 1) {
          res.issues.forEach(function (i) { sel.appendChild(el("option", { value: i.issue }, i.issue + " (" + i.positions + ")")); });
          if (issue) sel.value = issue;
        }
        if (!res.issues.length) { status(st, "No positions are stored yet. Positions are derived from quotes and verbal events when articles are ingested."); sel.disabled = true; return; }
        if (!issue) {
          status(st, res.issues_total + " issues" + (res.issues_truncated ? " (the " + res.issues.length + " most discussed are listed)" : "") + ". Choose one to see its positions.");
          return;
        }
        history.replaceState(null, "", location.pathname + "?" + qs({ issue: issue, offset: offset || null }));
        draw(res);
      }, function (ex) { status(st, ""); showError(err, "Could not load positions: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); offset = 0; load(sel.value); });
    load(sel.dataset.selected || "");
  }

  EC.pages.positions = pagePositions;
})();
