/* The events explorer: every /events filter, sortable pages, page jumps, CSV. */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, $ = EC.$, el = EC.el, clear = EC.clear, showError = EC.showError,
      status = EC.status, fmtNum = EC.fmtNum, articleUrl = EC.articleUrl, qs = EC.qs,
      formValues = EC.formValues, getJSON = EC.getJSON, quadBadge = EC.quadBadge;

  function pageEvents() {
    var form = $("#filters"), table = $("#events-table"), tbody = $("tbody", table);
    var err = $("#events-error"), st = $("#events-status");
    var params = new URLSearchParams(location.search);
    var state = { sort: params.get("sort") || "date", order: params.get("order") || "desc",
                  offset: Number(params.get("offset") || 0) || 0, seq: 0 };

    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
      var label = th.textContent;
      clear(th).appendChild(el("button", { type: "button", "class": "sort", "data-sort": th.dataset.sort,
        onclick: function () {
          var key = th.dataset.sort;
          if (state.sort === key) state.order = state.order === "asc" ? "desc" : "asc";
          else { state.sort = key; state.order = key === "date" || key === "goldstein" ? "desc" : "asc"; }
          state.offset = 0; load();
        } }, label, el("span", { "class": "arrow", "aria-hidden": "true" })));
    });

    function query(extra) {
      var f = formValues(form), lim = f.limit || "50";
      delete f.limit;
      return Object.assign(f, { sort: state.sort, order: state.order }, extra || {}, { _limit: lim });
    }

    function load() {
      showError(err, null);
      var q = query(), limit = Number(q._limit) || 50; delete q._limit;
      var urlq = Object.assign({}, q, { limit: limit, offset: state.offset || null });
      history.replaceState(null, "", location.pathname + "?" + qs(urlq));
      $("#csv-link").setAttribute("href", P + "/api/events.csv?" + qs(q));
      Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
        var on = th.dataset.sort === state.sort;
        if (on) th.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending"); else th.removeAttribute("aria-sort");
        $(".arrow", th).textContent = on ? (state.order === "asc" ? " ▲" : " ▼") : "";
      });
      status(st, "Loading…");
      var mine = ++state.seq;  // a later request wins, whatever order the answers come in
      getJSON(P + "/api/events?" + qs(Object.assign({}, q, { limit: limit, offset: state.offset }))).then(function (res) {
        if (mine !== state.seq) return;
        clear(tbody);
        res.events.forEach(function (r) { tbody.appendChild(row(r)); });
        table.hidden = !res.events.length;
        var from = res.total ? res.offset + 1 : 0, to = res.offset + res.events.length;
        var pages = Math.max(1, Math.ceil(res.total / limit)), page = Math.floor(res.offset / limit) + 1;
        var what = res.unique ? " deduplicated events" : " events";
        status(st, res.total ? res.total + what + " match; showing " + from + "–" + to + " (page " + page + " of " + pages + ")." : "No events match these filters.");
        $("#page-info").textContent = res.total ? "Rows " + from + "–" + to + " of " + res.total : "";
        $("#page-count").textContent = "of " + pages;
        $("#page-number").max = String(pages);
        $("#page-number").value = String(page);
        $("#page-first").disabled = $("#page-prev").disabled = res.offset <= 0;
        $("#page-next").disabled = $("#page-last").disabled = to >= res.total;
        $("#page-next").onclick = function () { state.offset = res.offset + limit; load(); };
        $("#page-prev").onclick = function () { state.offset = Math.max(0, res.offset - limit); load(); };
        $("#page-first").onclick = function () { state.offset = 0; load(); };
        $("#page-last").onclick = function () { state.offset = (pages - 1) * limit; load(); };
        $("#page-jump").onsubmit = function (e) {
          e.preventDefault();
          var n = Math.min(pages, Math.max(1, Math.round(Number($("#page-number").value) || 1)));
          state.offset = (n - 1) * limit; load();
        };
      }, function (ex) {
        if (mine !== state.seq) return;
        status(st, ""); clear(tbody); table.hidden = true;
        showError(err, "Could not load events: " + ex.message);
      });
    }

    function actorCell(r, side) {
      var code = r[side + "_code"], name = r[side + "_name"] || r[side + "_text"];
      return el("td", { title: name || "" }, code || name || "—");
    }

    function row(r) {
      var place = r.location_name ? r.location_name + (r.location_country ? " (" + r.location_country + ")" : "") : "—";
      var sentence = r.sentence || "";
      return el("tr", null,
        el("td", null, r.event_date || r.date || "—"),
        actorCell(r, "source"), actorCell(r, "target"),
        el("td", null, el("span", { "class": "badge plover" }, r.plover_type || "—")),
        el("td", { title: r.cameo_name || "" }, (r.cameo_code || "") + " " + (r.cameo_name || "")),
        el("td", { "class": "num" }, fmtNum(r.goldstein, 1)),
        el("td", null, quadBadge(r.quad_class)),
        el("td", null, r.status || "—"),
        el("td", null, place),
        el("td", { "class": "num" }, fmtNum(r.confidence, 2)),
        el("td", { "class": "sentence", title: sentence }, sentence.length > 160 ? sentence.slice(0, 157) + "…" : sentence),
        el("td", null, el("a", { href: articleUrl(r.article_id, r.event_id) }, r.article_title || r.article_id)));
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); state.offset = 0; load(); });
    form.addEventListener("reset", function () { setTimeout(function () {
      Array.prototype.forEach.call(form.elements, function (f) {
        if (!f.name || f.type === "submit" || f.type === "reset" || f.name === "limit") return;
        if (f.type === "checkbox") f.checked = false; else f.value = "";
      });
      state.offset = 0; load(); }, 0); });
    load();
  }

  EC.pages.events = pageEvents;
})();
