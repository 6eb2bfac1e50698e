/* eventcoder dashboard: the shared helpers (window.EC) and the page dispatcher. Each page's
 * code is in static/pages/<page>.js; the chart wrappers (Observable Plot, d3) in charts.js.
 *
 * Safety rule: data from the store or the coder (article text, titles, names, quotes) is put on
 * the page ONLY through textContent / text nodes / setAttribute of inert attributes — never
 * innerHTML — so article text cannot become markup. URLs from articles are shown as links only
 * when they are http(s). The pages are served with a CSP that allows no inline script.
 */
(function () {
  "use strict";

  var P = document.body.dataset.prefix || "/ui";
  var SVGNS = "http://www.w3.org/2000/svg";
  var QUAD = {
    0: { name: "neutral", color: "#8a8a8a" },
    1: { name: "verbal cooperation", color: "#66bd63" },
    2: { name: "material cooperation", color: "#1a7837" },
    3: { name: "verbal conflict", color: "#f08c2e" },
    4: { name: "material conflict", color: "#b2182b" },
  };
  var STANCE = { propose: "#3b6fb6", support: "#1a7837", oppose: "#f08c2e", reject: "#b2182b", neutral: "#8a8a8a" };

  // ------------------------------------------------------------------ DOM helpers
  function $(sel, root) { return (root || document).querySelector(sel); }

  function append(node, children) {
    for (var i = 0; i < children.length; i++) {
      var c = children[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) { append(node, c); continue; }
      node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return node;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = String(v);
      else if (k.slice(0, 2) === "on" && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k === "style") throw new Error("inline style attributes are not allowed (CSP)");
      else node.setAttribute(k, v === true ? "" : String(v));
    });
    return node;
  }

  function el(tag, attrs) {
    var node = setAttrs(document.createElement(tag), attrs);
    return append(node, Array.prototype.slice.call(arguments, 2));
  }

  function svg(tag, attrs) {
    var node = setAttrs(document.createElementNS(SVGNS, tag), attrs);
    return append(node, Array.prototype.slice.call(arguments, 2));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function showError(box, msg) {
    if (!box) return;
    if (msg) { box.textContent = msg; box.hidden = false; } else { box.textContent = ""; box.hidden = true; }
  }

  function status(node, msg) { if (node) node.textContent = msg || ""; }

  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }

  function fmtNum(v, d) {
    if (v === null || v === undefined || v === "") return "—";
    var n = Number(v);
    return isFinite(n) ? (d === undefined ? String(n) : n.toFixed(d)) : String(v);
  }

  function actorLabel(a) {
    if (!a) return "—";
    var name = a.name || a.text || "";
    return a.code ? (name ? name + " (" + a.code + ")" : a.code) : (name || "—");
  }

  function articleUrl(articleId, eventId) {
    return P + "/articles/" + encodeURIComponent(articleId) + (eventId ? "?event=" + encodeURIComponent(eventId) : "");
  }

  function qs(obj) {
    var p = new URLSearchParams();
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      if (v !== null && v !== undefined && v !== "" && v !== false) p.set(k, String(v));
    });
    return p.toString();
  }

  function formValues(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!f.name || f.type === "submit" || f.type === "button" || f.type === "reset" || f.type === "file") return;
      if (f.type === "checkbox") { if (f.checked) out[f.name] = f.value === "on" ? "true" : f.value; return; }
      var v = (f.value || "").trim();
      if (v !== "") out[f.name] = v;
    });
    return out;
  }

  function getJSON(url, opts) {
    return fetch(url, opts).then(function (r) {
      var ct = r.headers.get("content-type") || "";
      var body = ct.indexOf("json") >= 0 ? r.json() : r.text().then(function (t) { return { error: t }; });
      return body.then(function (data) {
        if (!r.ok) {
          var msg = (data && data.error) ? data.error : ("HTTP " + r.status);
          var err = new Error(msg); err.status = r.status; throw err;
        }
        return data;
      });
    }, function () { throw new Error("the server cannot be reached"); });
  }

  function postJSON(url, body) {
    return getJSON(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  function goldsteinColor(g) {
    if (g === null || g === undefined) return "#999999";
    var t = Math.max(-1, Math.min(1, Number(g) / 10));
    var grey = [150, 150, 150], red = [178, 24, 43], green = [26, 120, 55];
    var to = t < 0 ? red : green, a = Math.abs(t);
    var c = grey.map(function (v, i) { return Math.round(v + (to[i] - v) * a); });
    return "rgb(" + c.join(",") + ")";
  }

  function quadBadge(qc) {
    var q = QUAD[qc] || { name: "unknown" };
    return el("span", { "class": "badge quad quad-" + qc, title: q.name }, qc === null || qc === undefined ? "—" : qc + " " + q.name);
  }

  function addDays(iso, n) {
    var d = new Date(iso + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function periodEnd(iso, interval) {
    if (interval === "day") return iso;
    if (interval === "week") return addDays(iso, 6);
    var d = new Date(iso + "T00:00:00Z"); d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0);
    return d.toISOString().slice(0, 10);
  }

  function eventsTable(rows, caption) {
    var t = el("table", { "class": "data" }, el("caption", null, caption),
      el("thead", null, el("tr", null, ["Date", "Source", "Target", "PLOVER", "CAMEO", "Goldstein", "Status", "Evidence"].map(function (h) { return el("th", { scope: "col" }, h); }))));
    var tb = el("tbody");
    rows.forEach(function (r) {
      tb.appendChild(el("tr", null, el("td", null, r.event_date || "—"), el("td", null, r.source_code || "—"), el("td", null, r.target_code || "—"),
        el("td", null, r.plover_type || "—"), el("td", null, (r.cameo_code || "") + " " + (r.cameo_name || "")), el("td", { "class": "num" }, fmtNum(r.goldstein, 1)),
        el("td", null, r.status || "—"), el("td", { "class": "sentence" }, el("a", { href: articleUrl(r.article_id, r.event_id) }, r.sentence || "(no sentence)"))));
    });
    t.appendChild(tb);
    return t;
  }

  // ------------------------------------------------------------------ page: actor profile
  function profileSummary(p, compact) {
    var box = el("div", { "class": "profile" });
    var dl = el("dl", { "class": "facts" });
    [["Events", p.events], ["As source", p.as_source], ["As target", p.as_target], ["Articles", p.articles],
     ["First seen", p.first_seen || "—"], ["Last seen", p.last_seen || "—"], ["Mean Goldstein", fmtNum(p.goldstein_mean, 2)]
    ].forEach(function (kv) { dl.appendChild(el("div", null, el("dt", null, kv[0]), el("dd", null, String(kv[1])))); });
    box.appendChild(dl);
    if (p.names && p.names.length) {
      box.appendChild(el("h3", null, "Names"));
      box.appendChild(el("ul", { "class": "names" }, p.names.slice(0, compact ? 5 : 50).map(function (n) {
        return el("li", null, n.name + " (" + n.code + ", " + n.n_events + " events)"); })));
    }
    box.appendChild(el("h3", null, "Top partners"));
    if (!p.partners || !p.partners.length) box.appendChild(el("p", { "class": "empty" }, "No partners."));
    else box.appendChild(el("ul", { "class": "partners" }, p.partners.slice(0, compact ? 6 : 50).map(function (r) {
      return el("li", null, el("a", { href: P + "/dyad?" + qs({ a: p.code, b: r.partner }) }, r.partner), ": " + r.events + " events, mean Goldstein " + fmtNum(r.goldstein_mean, 2));
    })));
    return box;
  }

  function eventsTableOf(rows, caption) { return eventsTable(rows, caption); }

  window.EC = {
    P: P, QUAD: QUAD, STANCE: STANCE, $: $, el: el, svg: svg, clear: clear, append: append,
    setAttrs: setAttrs, showError: showError, status: status, safeUrl: safeUrl, fmtNum: fmtNum,
    actorLabel: actorLabel, articleUrl: articleUrl, qs: qs, formValues: formValues,
    getJSON: getJSON, postJSON: postJSON, goldsteinColor: goldsteinColor, quadBadge: quadBadge,
    addDays: addDays, periodEnd: periodEnd, eventsTable: eventsTableOf, profileSummary: profileSummary,
    pages: {},
  };

  // Page files register EC.pages.<name>; deferred scripts all run before DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", function () {
    var fn = window.EC.pages[document.body.dataset.page];
    if (fn) fn();
  });
})();
