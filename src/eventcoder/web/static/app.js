/* eventcoder dashboard: a small vanilla-JS front end over the JSON API.
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

  // ------------------------------------------------------------------ annotated article
  function findSentence(text, sentence, pos) {
    if (!sentence) return null;
    var i = text.indexOf(sentence), best = null;
    while (i >= 0) {
      if (pos === null || pos === undefined || (i <= pos && pos <= i + sentence.length)) { best = i; break; }
      if (best === null) best = i;
      i = text.indexOf(sentence, i + 1);
    }
    return best === null ? null : [best, best + sentence.length];
  }

  function validSpan(s, n) {
    return Array.isArray(s) && s.length === 2 && s[0] !== null && s[1] !== null &&
      Number(s[0]) >= 0 && Number(s[1]) <= n && Number(s[0]) < Number(s[1]);
  }

  function eventActors(text, ev) {
    var out = [], sent = findSentence(text, ev.sentence, ev.span ? ev.span[0] : null);
    ["source", "target"].forEach(function (role) {
      var a = ev[role];
      if (!a) return;
      var span = validSpan(a.span, text.length) ? a.span : null;
      if (!span && a.text && sent) {  // /code output carries no actor spans: find the words in the sentence
        var j = text.slice(sent[0], sent[1]).indexOf(a.text);
        if (j >= 0) span = [sent[0] + j, sent[0] + j + a.text.length];
      }
      if (span) out.push({ start: span[0], end: span[1], actor: a, role: role });
    });
    return out;
  }

  function normQuote(q) {
    var sp = q.speaker && typeof q.speaker === "object" ? q.speaker : null;
    return {
      quote_id: q.quote_id, content: q.content, cue: q.cue, direct: q.direct,
      speaker: sp ? (sp.name || sp.text) : q.speaker,
      speaker_code: sp ? sp.code : q.speaker_code,
      content_spans: q.content_spans || [], speaker_span: q.speaker_span, cue_span: q.cue_span,
    };
  }

  /* Split `text` at every annotation boundary; each piece becomes a text node or one <span>
   * whose classes are those of every annotation covering it (flat, so overlaps are fine). */
  function annotate(text, anns) {
    var n = text.length, cuts = { 0: 1 };
    cuts[n] = 1;
    anns = anns.filter(function (a) { return a.start >= 0 && a.end <= n && a.start < a.end; });
    anns.forEach(function (a) { cuts[a.start] = 1; cuts[a.end] = 1; });
    var pts = Object.keys(cuts).map(Number).sort(function (x, y) { return x - y; });
    var frag = document.createDocumentFragment();
    for (var i = 0; i + 1 < pts.length; i++) {
      var s = pts[i], e = pts[i + 1], piece = text.slice(s, e);
      var on = anns.filter(function (a) { return a.start <= s && a.end >= e; });
      if (!on.length) { frag.appendChild(document.createTextNode(piece)); continue; }
      var cls = [], titles = [], labels = [], node = el("span", null, piece);
      on.forEach(function (a) {
        cls = cls.concat(a.cls);
        if (a.title) titles.push(a.title);
        if (a.id && a.start === s) node.id = a.id;
        if (a.label && a.end === e) labels.push(a.label);
        if (a.data) Object.keys(a.data).forEach(function (k) { node.setAttribute("data-" + k, a.data[k]); });
      });
      node.setAttribute("class", cls.join(" "));
      if (titles.length) node.setAttribute("title", titles.join("\n"));
      if (labels.length) { node.setAttribute("data-label", labels.join(" · ")); node.classList.add("labelled"); }
      frag.appendChild(node);
    }
    return frag;
  }

  function eventCard(ev, opts) {
    opts = opts || {};
    var loc = ev.location;
    var place = loc && loc.name ? loc.name + (loc.country ? " (" + loc.country + ")" : "") : "—";
    var dl = el("dl", { "class": "facts" });
    [["Goldstein", fmtNum(ev.goldstein, 1)], ["Quad class", quadBadge(ev.quad_class)],
     ["Status", el("span", { "class": "badge status-" + ev.status }, ev.status || "—")],
     ["Date", ev.date || ev.event_date || "—"], ["Place", place],
     ["Mode", ev.plover_mode || "—"], ["Confidence", fmtNum(ev.confidence, 2)]
    ].forEach(function (kv) { dl.appendChild(el("div", null, el("dt", null, kv[0]), el("dd", null, kv[1]))); });
    var card = el("article", { "class": "event-card quad-" + ev.quad_class, id: "ev-" + ev.event_id, tabindex: "-1",
                               "aria-label": (ev.plover_type || "event") + " " + (ev.cameo_code || "") },
      el("header", null,
        el("span", { "class": "badge plover" }, ev.plover_type || "—"), " ",
        el("span", { "class": "cameo" }, (ev.cameo_code || "") + " " + (ev.cameo_name || ""))),
      el("p", { "class": "dyad" }, actorLabel(ev.source), " → ", actorLabel(ev.target)),
      dl,
      el("blockquote", { "class": "evidence" }, ev.sentence || ""),
      el("p", { "class": "card-links" },
        opts.inText ? el("a", { href: "#t-" + ev.event_id }, "Show the trigger “" + (ev.trigger || "") + "” in the text") : null,
        opts.stored ? [" ", el("a", { href: articleUrl(ev.article_id, ev.event_id) }, "Open in the article view")] : null));
    return card;
  }

  /* Render an article (stored, or just coded) with its annotations and event cards. */
  function renderArticle(box, art, opts) {
    opts = opts || {};
    clear(box);
    var text = art.text || "";
    var events = art.events || [];
    var quotes = (art.quotes || (art.spans && art.spans.quotes) || []).map(normQuote);
    var anns = [], sectors = {};
    var hl = opts.highlight ? events.filter(function (e) { return e.event_id === opts.highlight; })[0] : null;

    var seenActor = {};
    events.forEach(function (ev) {
      eventActors(text, ev).forEach(function (a) {
        var sec = a.actor.sector || "UNK", c = a.actor.country || "?";
        var key = a.start + ":" + a.end + ":" + c + ":" + sec;
        if (seenActor[key]) return;
        seenActor[key] = 1;
        sectors[sec] = 1;
        anns.push({ start: a.start, end: a.end, cls: ["actor", "sec-" + sec],
                    title: "Actor: " + actorLabel(a.actor) + " — country " + c + ", sector " + sec,
                    label: c + " " + sec });
      });
      if (validSpan(ev.span, text.length)) {
        anns.push({ start: ev.span[0], end: ev.span[1], cls: ["trigger", "quad-" + ev.quad_class],
                    id: "t-" + ev.event_id, data: { event: ev.event_id },
                    title: "Trigger: " + (ev.plover_type || "") + " " + (ev.cameo_code || "") + " " + (ev.cameo_name || "") + " (" + (ev.status || "") + ")" });
      }
    });
    if (hl) {
      var sent = findSentence(text, hl.sentence, hl.span ? hl.span[0] : null);
      if (sent) anns.push({ start: sent[0], end: sent[1], cls: ["evidence-hl"], id: "evidence", title: "Evidence of the selected event" });
    }
    quotes.forEach(function (q) {
      var who = q.speaker ? q.speaker + (q.speaker_code ? " (" + q.speaker_code + ")" : "") : "unattributed";
      var spans = q.content_spans.filter(function (s) { return validSpan(s, text.length); });
      spans.forEach(function (s, i) {
        anns.push({ start: s[0], end: s[1], cls: ["quote", q.direct ? "direct" : "indirect"],
                    title: (q.direct ? "Direct" : "Indirect") + " quote by " + who,
                    label: i === spans.length - 1 ? "— " + who : null });
      });
      if (validSpan(q.speaker_span, text.length)) anns.push({ start: q.speaker_span[0], end: q.speaker_span[1], cls: ["speaker"], title: "Speaker: " + who });
      if (validSpan(q.cue_span, text.length)) anns.push({ start: q.cue_span[0], end: q.cue_span[1], cls: ["cue"], title: "Quote cue" });
    });

    var meta = [];
    if (art.published) meta.push("Published " + art.published);
    if (art.source_name) meta.push(art.source_name);
    var url = safeUrl(art.url);
    box.appendChild(el("section", { "class": "article", "aria-labelledby": "art-title" },
      el("h2", { id: "art-title" }, art.title || (opts.stored ? "Article " + art.article_id : "Coded text")),
      el("p", { "class": "meta" }, meta.join(" · "), url ? [meta.length ? " · " : "", el("a", { href: url, rel: "noopener noreferrer" }, "source")] : null,
         art.article_id ? [" · id ", el("code", null, art.article_id)] : null),
      legend(Object.keys(sectors).sort()),
      el("div", { "class": "article-text", id: "article-text" }, annotate(text, anns))));

    var evSec = el("section", { "class": "events", "aria-labelledby": "ev-h" }, el("h2", { id: "ev-h" }, "Events (" + events.length + ")"));
    if (!events.length) evSec.appendChild(el("p", { "class": "empty" }, "No events were coded in this text."));
    var list = el("div", { "class": "cards" });
    events.forEach(function (ev) { list.appendChild(eventCard(ev, { inText: validSpan(ev.span, text.length), stored: opts.stored })); });
    evSec.appendChild(list);
    box.appendChild(evSec);

    var qSec = el("section", { "class": "quotes", "aria-labelledby": "q-h" }, el("h2", { id: "q-h" }, "Quotes (" + quotes.length + ")"));
    if (!quotes.length) qSec.appendChild(el("p", { "class": "empty" }, "No quotes were found."));
    var ql = el("ul", { "class": "quote-list" });
    quotes.forEach(function (q) {
      ql.appendChild(el("li", null, el("strong", null, q.speaker || "unattributed"), q.speaker_code ? " (" + q.speaker_code + ")" : "",
        " ", el("span", { "class": "muted" }, (q.direct ? "direct" : "indirect") + (q.cue ? ", “" + q.cue + "”" : "")), ": ",
        el("q", null, q.content || "")));
    });
    qSec.appendChild(ql);
    box.appendChild(qSec);

    if (hl) {
      var target = document.getElementById("evidence") || document.getElementById("t-" + hl.event_id);
      if (target) target.scrollIntoView({ block: "center" });
      var card = document.getElementById("ev-" + hl.event_id);
      if (card) card.classList.add("selected");
    }
  }

  function legend(sectors) {
    var items = [el("li", null, el("span", { "class": "trigger swatch" }, "trigger"), " event trigger (coloured by quad class)"),
                 el("li", null, el("span", { "class": "quote swatch" }, "quote"), " quote (speaker after it)"),
                 el("li", null, el("span", { "class": "evidence-hl swatch" }, "evidence"), " selected event's sentence")];
    sectors.forEach(function (s) { items.push(el("li", null, el("span", { "class": "actor swatch sec-" + s }, s), " actor sector " + s)); });
    return el("ul", { "class": "legend", "aria-label": "Legend" }, items);
  }

  // ------------------------------------------------------------------ page: code
  function pageCode() {
    var form = $("#code-form"), err = $("#code-error"), st = $("#code-status"), out = $("#code-result");
    $("#code-file").addEventListener("change", function (e) {
      var f = e.target.files && e.target.files[0];
      if (!f) return;
      if (f.size > 2000000) { showError(err, "The file is larger than 2 MB."); return; }
      var r = new FileReader();
      r.onload = function () {
        $("#code-text").value = String(r.result || "");
        if (!$("#code-title").value) $("#code-title").value = f.name.replace(/\.[^.]+$/, "");
        status(st, "Loaded " + f.name + " (" + f.size + " bytes).");
      };
      r.onerror = function () { showError(err, "The file could not be read."); };
      r.readAsText(f);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      showError(err, null);
      var text = $("#code-text").value;
      if (!text.trim()) { showError(err, "Paste some text or choose a file first."); $("#code-text").focus(); return; }
      var title = $("#code-title").value.trim() || null, published = $("#code-published").value || null;
      var store = $("#code-store").checked, btn = $("#code-submit");
      btn.disabled = true;
      status(st, store ? "Coding and storing…" : "Coding…");
      var done;
      if (store) {
        done = postJSON("/articles", { articles: [{ text: text, title: title, published: published }] }).then(function (res) {
          var id = res.article_ids[0];
          return getJSON("/articles/" + encodeURIComponent(id)).then(function (art) {
            var note = $("#code-stored");
            clear(note).appendChild(document.createTextNode(res.stored ? "Stored. " : "This article was already stored. "));
            note.appendChild(el("a", { href: articleUrl(id) }, "Permanent article view"));
            note.hidden = false;
            renderArticle($("#article-view"), art, { stored: true });
            return art.events.length;
          });
        });
      } else {
        done = postJSON("/code", { text: text, title: title, published: published }).then(function (res) {
          $("#code-stored").hidden = true;
          renderArticle($("#article-view"), { article_id: res.article_id, title: title, text: text, published: published,
                                              events: res.events, quotes: res.quotes }, { stored: false });
          return res.events.length;
        });
      }
      done.then(function (n) {
        out.hidden = false;
        status(st, n + " event" + (n === 1 ? "" : "s") + " coded.");
      }, function (ex) {
        status(st, "");
        showError(err, "Could not code the article: " + ex.message);
      }).then(function () { btn.disabled = false; });
    });
  }

  // ------------------------------------------------------------------ page: article
  function pageArticle() {
    var id = document.body.dataset.articleId, box = $("#article-view");
    if (!box) return;
    getJSON("/articles/" + encodeURIComponent(id)).then(function (art) {
      status($("#article-status"), "");
      renderArticle(box, art, { stored: true, highlight: document.body.dataset.event || null });
    }, function (ex) {
      status($("#article-status"), "");
      showError($("#article-error"), "Could not load the article: " + ex.message);
    });
  }

  // ------------------------------------------------------------------ page: events explorer
  function pageEvents() {
    var form = $("#filters"), table = $("#events-table"), tbody = $("tbody", table);
    var err = $("#events-error"), st = $("#events-status");
    var params = new URLSearchParams(location.search);
    var state = { sort: params.get("sort") || "date", order: params.get("order") || "desc",
                  offset: Number(params.get("offset") || 0) || 0 };

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
      getJSON(P + "/api/events?" + qs(Object.assign({}, q, { limit: limit, offset: state.offset }))).then(function (res) {
        clear(tbody);
        res.events.forEach(function (r) { tbody.appendChild(row(r)); });
        table.hidden = !res.events.length;
        var from = res.total ? res.offset + 1 : 0, to = res.offset + res.events.length;
        status(st, res.total ? res.total + " events match; showing " + from + "–" + to + "." : "No events match these filters.");
        $("#page-info").textContent = res.total ? "Rows " + from + "–" + to + " of " + res.total : "";
        $("#page-prev").disabled = res.offset <= 0;
        $("#page-next").disabled = to >= res.total;
        $("#page-next").onclick = function () { state.offset = res.offset + limit; load(); };
        $("#page-prev").onclick = function () { state.offset = Math.max(0, res.offset - limit); load(); };
      }, function (ex) {
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
        el("td", { "class": "sentence", title: sentence }, sentence.length > 160 ? sentence.slice(0, 157) + "…" : sentence),
        el("td", null, el("a", { href: articleUrl(r.article_id, r.event_id) }, r.article_title || r.article_id)));
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); state.offset = 0; load(); });
    form.addEventListener("reset", function () { setTimeout(function () {
      Array.prototype.forEach.call(form.elements, function (f) { if (f.name && f.type !== "submit" && f.type !== "reset" && f.name !== "limit") f.value = ""; });
      state.offset = 0; load(); }, 0); });
    load();
  }

  // ------------------------------------------------------------------ charts
  /* A time chart: one line (with points) per series over ISO period starts.
   * opts: {periods, series:[{name,color,values}], height, yMin, yMax, zeroLine, onPoint(i), pointLabel(i), focusSeries} */
  function timeChart(opts) {
    var W = 900, H = opts.height || 260, L = 48, R = 16, T = 12, B = 36;
    var ts = opts.periods.map(function (p) { return Date.parse(p + "T00:00:00Z"); });
    var t0 = Math.min.apply(null, ts), t1 = Math.max.apply(null, ts);
    if (t0 === t1) { t0 -= 86400000 * 3; t1 += 86400000 * 3; }
    var all = [];
    opts.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v !== undefined) all.push(Number(v)); }); });
    var yMin = opts.yMin !== undefined ? opts.yMin : Math.min(0, Math.min.apply(null, all));
    var yMax = opts.yMax !== undefined ? opts.yMax : Math.max(1, Math.max.apply(null, all));
    function x(t) { return L + (t - t0) / (t1 - t0) * (W - L - R); }
    function y(v) { return T + (1 - (v - yMin) / (yMax - yMin)) * (H - T - B); }
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, "class": "timechart", role: "group", "aria-label": opts.label || "chart" });
    var axis = svg("g", { "class": "axis" });
    var ticks = opts.yTicks || [yMin, (yMin + yMax) / 2, yMax];
    ticks.forEach(function (v) {
      axis.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), "class": v === 0 && opts.zeroLine ? "zero" : "grid" }));
      axis.appendChild(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, Number.isInteger(v) ? String(v) : v.toFixed(1)));
    });
    var step = Math.max(1, Math.ceil(ts.length / 8));
    for (var i = 0; i < ts.length; i += step) {
      axis.appendChild(svg("text", { x: x(ts[i]), y: H - B + 18, "text-anchor": "middle" }, opts.periods[i]));
    }
    if (opts.yLabel) axis.appendChild(svg("text", { x: 12, y: T + (H - T - B) / 2, transform: "rotate(-90 12 " + (T + (H - T - B) / 2) + ")", "text-anchor": "middle" }, opts.yLabel));
    root.appendChild(axis);
    opts.series.forEach(function (s, si) {
      var d = "", g = svg("g", { "class": "series", "data-series": s.name });
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) return;
        d += (d ? "L" : "M") + x(ts[i]).toFixed(1) + " " + y(Number(v)).toFixed(1);
      });
      g.appendChild(svg("path", { d: d, fill: "none", stroke: s.color, "stroke-width": 2 }));
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) return;
        var focus = opts.focusSeries === si;
        var c = svg("circle", { cx: x(ts[i]).toFixed(1), cy: y(Number(v)).toFixed(1), r: focus ? 5 : 4, fill: s.color,
                                "class": "pt", "data-period": opts.periods[i], "data-value": v },
                    svg("title", null, s.name + ", " + opts.periods[i] + ": " + fmtNum(v, Number.isInteger(Number(v)) ? undefined : 2)));
        if (opts.onPoint) {
          c.addEventListener("click", function () { opts.onPoint(i); });
          if (focus) {
            setAttrs(c, { tabindex: "0", role: "button", "aria-label": opts.pointLabel ? opts.pointLabel(i) : opts.periods[i] });
            c.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); opts.onPoint(i); } });
          }
        }
        g.appendChild(c);
      });
      root.appendChild(g);
    });
    var lg = svg("g", { "class": "chart-legend" }), lx = L;
    opts.series.forEach(function (s) {
      lg.appendChild(svg("rect", { x: lx, y: H - 12, width: 10, height: 10, fill: s.color }));
      lg.appendChild(svg("text", { x: lx + 14, y: H - 3 }, s.name));
      lx += 28 + s.name.length * 7;
    });
    root.appendChild(lg);
    return root;
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

  // ------------------------------------------------------------------ page: dyad
  function pageDyad() {
    var form = $("#dyad-form"), err = $("#dyad-error"), st = $("#dyad-status"), chart = $("#dyad-chart"), evBox = $("#dyad-events");
    function load() {
      var f = formValues(form);
      showError(err, null); clear(evBox);
      if (!f.a || !f.b) { status(st, "Enter two actor or country codes, e.g. USA and RUS."); $("#dyad-figure").hidden = true; return; }
      history.replaceState(null, "", location.pathname + "?" + qs(f));
      var interval = f.interval || "week", a = f.a.toUpperCase(), b = f.b.toUpperCase();
      status(st, "Loading…");
      getJSON("/dyads/" + encodeURIComponent(a) + "/" + encodeURIComponent(b) + "/series?" +
              qs({ interval: interval, start: f.start, end: f.end, directed: f.directed ? "true" : null })).then(function (res) {
        clear(chart);
        var s = res.series;
        if (!s.length) { $("#dyad-figure").hidden = true; status(st, "No events between " + a + " and " + b + " in this period."); return; }
        var periods = s.map(function (r) { return r.period; });
        var total = s.reduce(function (n, r) { return n + r.events; }, 0);
        status(st, total + " events between " + a + " and " + b + " in " + s.length + " " + interval + (s.length === 1 ? "" : "s") + ".");
        function pick(i) {
          var start = periods[i], end = periodEnd(start, interval);
          clear(evBox).appendChild(el("p", { "class": "status" }, "Loading the events of " + start + "…"));
          getJSON(P + "/api/dyad/events?" + qs({ a: a, b: b, start: start, end: end, directed: f.directed ? "true" : null })).then(function (r) {
            clear(evBox).appendChild(el("h2", { id: "dyad-events-h" }, "Events " + a + "–" + b + ", " + interval + " of " + start + " (" + r.total + ")"));
            if (!r.events.length) evBox.appendChild(el("p", { "class": "empty" }, "No events in this period."));
            else evBox.appendChild(eventsTable(r.events, "Events from " + start + " to " + end));
            evBox.querySelector("h2").scrollIntoView({ block: "nearest" });
          }, function (ex) { clear(evBox); showError(err, "Could not load the events: " + ex.message); });
        }
        function label(i) {
          var r = s[i];
          return interval + " of " + r.period + ": " + r.events + " events (verbal cooperation " + r.quad1 + ", material cooperation " + r.quad2 +
            ", verbal conflict " + r.quad3 + ", material conflict " + r.quad4 + "), mean Goldstein " + fmtNum(r.goldstein_mean, 2) + ". Press Enter to list them.";
        }
        chart.appendChild(timeChart({ periods: periods, label: "Events per " + interval + " by quad class", yLabel: "events", onPoint: pick,
          series: [1, 2, 3, 4].map(function (k) { return { name: QUAD[k].name, color: QUAD[k].color, values: s.map(function (r) { return r["quad" + k]; }) }; }) }));
        chart.appendChild(timeChart({ periods: periods, label: "Mean Goldstein per " + interval, yLabel: "Goldstein", height: 200, yMin: -10, yMax: 10,
          yTicks: [-10, -5, 0, 5, 10], zeroLine: true, onPoint: pick, pointLabel: label, focusSeries: 0,
          series: [{ name: "mean Goldstein", color: "#3b6fb6", values: s.map(function (r) { return r.goldstein_mean; }) }] }));
        $("#dyad-figure").hidden = false;
      }, function (ex) { status(st, ""); $("#dyad-figure").hidden = true; showError(err, "Could not load the dyad: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    if ($("#d-a").value && $("#d-b").value) load(); else status(st, "Enter two actor or country codes, e.g. USA and RUS.");
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

  function pageActor() {
    var code = document.body.dataset.code, box = $("#actor-view");
    getJSON("/actors/" + encodeURIComponent(code)).then(function (p) {
      status($("#actor-status"), "");
      box.appendChild(el("p", null, el("a", { href: P + "/events?" + qs({ actor: p.code }) }, "All events with " + p.code + " in the explorer")));
      box.appendChild(profileSummary(p, false));
      var mix = el("section", null, el("h2", null, "Event mix"));
      ["plover_type", "quad_class", "status"].forEach(function (k) {
        var rows = (p.event_mix && p.event_mix[k]) || [];
        var max = Math.max.apply(null, rows.map(function (r) { return r.events; }).concat([1]));
        mix.appendChild(el("h3", null, k.replace("_", " ")));
        mix.appendChild(el("ul", { "class": "bars" }, rows.map(function (r) {
          var bar = el("span", { "class": "bar" }); bar.style.width = Math.round(100 * r.events / max) + "%";
          return el("li", null, el("span", { "class": "bar-label" }, k === "quad_class" && QUAD[r.value] ? r.value + " " + QUAD[r.value].name : String(r.value === null ? "—" : r.value)),
                    el("span", { "class": "bar-track" }, bar), el("span", { "class": "bar-n" }, String(r.events)));
        })));
      });
      box.appendChild(mix);
      if (p.trend && p.trend.length) {
        var fig = el("figure", null, el("figcaption", null, "Cooperation and conflict per month"));
        fig.insertBefore(timeChart({ periods: p.trend.map(function (r) { return r.period; }), label: "Trend", yLabel: "events",
          series: [{ name: "cooperation", color: QUAD[2].color, values: p.trend.map(function (r) { return r.cooperation; }) },
                   { name: "conflict", color: QUAD[4].color, values: p.trend.map(function (r) { return r.conflict; }) }] }), fig.firstChild);
        box.appendChild(el("section", null, el("h2", null, "Trend"), fig));
      }
    }, function (ex) {
      status($("#actor-status"), "");
      showError($("#actor-error"), ex.status === 404 ? "No events with actor " + code + " are stored." : "Could not load the profile: " + ex.message);
    });
  }

  // ------------------------------------------------------------------ page: network
  function layout(nodes, edges, W, H) {
    var n = nodes.length, idx = {}, pos = [];
    nodes.forEach(function (nd, i) {
      idx[nd.id] = i;
      var a = 2 * Math.PI * i / Math.max(1, n), r = Math.min(W, H) * 0.35;
      pos.push({ x: W / 2 + r * Math.cos(a), y: H / 2 + r * Math.sin(a) });
    });
    if (n < 2) { if (n === 1) pos[0] = { x: W / 2, y: H / 2 }; return pos; }
    var k = Math.sqrt(W * H / n) * 0.45, temp = W / 10, iters = n > 200 ? 120 : 300;
    var grav = Math.min(1, n * k * k / Math.pow(0.3 * Math.min(W, H), 2) / 4);
    for (var it = 0; it < iters; it++) {
      var disp = pos.map(function () { return { x: 0, y: 0 }; });
      for (var i = 0; i < n; i++) for (var j = i + 1; j < n; j++) {
        var dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y, d = Math.sqrt(dx * dx + dy * dy) || 0.01, f = k * k / d;
        disp[i].x += dx / d * f; disp[i].y += dy / d * f; disp[j].x -= dx / d * f; disp[j].y -= dy / d * f;
      }
      edges.forEach(function (e) {
        var a = idx[e.a], b = idx[e.b], dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y, d = Math.sqrt(dx * dx + dy * dy) || 0.01, f = d * d / k;
        disp[a].x -= dx / d * f; disp[a].y -= dy / d * f; disp[b].x += dx / d * f; disp[b].y += dy / d * f;
      });
      for (var m = 0; m < n; m++) {
        disp[m].x += (W / 2 - pos[m].x) * grav; disp[m].y += (H / 2 - pos[m].y) * grav;  // keeps components together
        var dl = Math.sqrt(disp[m].x * disp[m].x + disp[m].y * disp[m].y) || 0.01, lim = Math.min(dl, temp);
        pos[m].x += disp[m].x / dl * lim;
        pos[m].y += disp[m].y / dl * lim;
      }
      temp *= 0.98;
    }
    // fit the drawing into the box (margins leave room for labels)
    var xs = pos.map(function (p) { return p.x; }), ys = pos.map(function (p) { return p.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var sx = (W - 100) / Math.max(1, x1 - x0), sy = (H - 60) / Math.max(1, y1 - y0);
    return pos.map(function (p) { return { x: 50 + (p.x - x0) * sx, y: 36 + (p.y - y0) * sy }; });
  }

  function pageNetwork() {
    var form = $("#net-form"), err = $("#net-error"), st = $("#net-status"), chart = $("#net-chart"), side = $("#net-profile");
    function profile(code) {
      side.hidden = false; side.parentNode.classList.add("with-profile");
      clear(side).appendChild(el("h2", { id: "profile-h", tabindex: "-1" }, "Actor " + code));
      side.appendChild(el("p", { "class": "status" }, "Loading the profile…"));
      getJSON("/actors/" + encodeURIComponent(code) + "?" + qs({ start: $("#n-start").value, end: $("#n-end").value, top: 8 })).then(function (p) {
        side.removeChild(side.querySelector(".status"));
        side.appendChild(profileSummary(p, true));
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
        clear(chart);
        if (!res.edges.length) { $("#net-figure").hidden = true; status(st, "No interactions between distinct actors match (try a longer period or a lower minimum)."); return; }
        status(st, res.nodes.length + " actors, " + res.edges.length + " pairs" + (res.truncated ? " (the strongest " + res.edges.length + " pairs are shown)" : "") + ".");
        var W = 900, H = 600, pos = layout(res.nodes, res.edges, W, H), idx = {};
        res.nodes.forEach(function (n, i) { idx[n.id] = i; });
        var maxE = Math.max.apply(null, res.edges.map(function (e) { return e.count; }));
        var maxN = Math.max.apply(null, res.nodes.map(function (n) { return n.count; }));
        var root = svg("svg", { viewBox: "0 0 " + W + " " + H, "class": "network", role: "group", "aria-label": "Actor network" });
        var ge = svg("g", { "class": "edges" });
        res.edges.forEach(function (e) {
          var a = pos[idx[e.a]], b = pos[idx[e.b]];
          ge.appendChild(svg("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1), stroke: goldsteinColor(e.goldstein_mean),
            "stroke-width": (1 + 7 * Math.sqrt(e.count / maxE)).toFixed(2), "class": "edge", "data-a": e.a, "data-b": e.b },
            svg("title", null, e.a + " – " + e.b + ": " + e.count + " events, mean Goldstein " + fmtNum(e.goldstein_mean, 2))));
        });
        root.appendChild(ge);
        var gn = svg("g", { "class": "nodes" });
        res.nodes.forEach(function (n, i) {
          var r = 5 + 12 * Math.sqrt(n.count / maxN);
          var g = svg("g", { "class": "node", tabindex: "0", role: "button", "data-id": n.id,
                             "aria-label": n.id + ": " + n.count + " events with " + n.degree + " partners. Press Enter for the profile.",
                             transform: "translate(" + pos[i].x.toFixed(1) + " " + pos[i].y.toFixed(1) + ")" },
            svg("circle", { r: r.toFixed(1) }), svg("text", { y: -r - 3, "text-anchor": "middle" }, n.id),
            svg("title", null, n.id + ": " + n.count + " events"));
          g.addEventListener("click", function () { profile(n.id); });
          g.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); profile(n.id); } });
          gn.appendChild(g);
        });
        root.appendChild(gn);
        chart.appendChild(root);
        $("#net-figure").hidden = false;
      }, function (ex) { status(st, ""); $("#net-figure").hidden = true; showError(err, "Could not load the network: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    load();
  }

  // ------------------------------------------------------------------ page: map
  var worldPromise = null;
  function world() {
    if (!worldPromise) worldPromise = getJSON(P + "/static/world.json");
    return worldPromise;
  }

  function pageMap() {
    var form = $("#map-form"), err = $("#map-error"), st = $("#map-status"), chart = $("#map-chart"), places = $("#map-places");
    var root = svg("svg", { viewBox: "0 0 360 180", "class": "worldmap", role: "group", "aria-label": "World map of event locations" });
    var base = svg("g", { "class": "basemap" }), gp = svg("g", { "class": "points" });
    root.appendChild(svg("rect", { x: 0, y: 0, width: 360, height: 180, "class": "ocean" }));
    root.appendChild(base); root.appendChild(gp);
    var lg = svg("g", { "class": "map-legend" });
    [1, 2, 3, 4].forEach(function (k, i) {
      lg.appendChild(svg("circle", { cx: 6, cy: 150 + i * 7, r: 2, fill: QUAD[k].color }));
      lg.appendChild(svg("text", { x: 10, y: 151.8 + i * 7 }, QUAD[k].name));
    });
    root.appendChild(lg);
    chart.appendChild(root);
    world().then(function (w) {
      w.countries.forEach(function (c) { base.appendChild(svg("path", { d: c.d, "class": "country", "data-id": c.id }, svg("title", null, c.name || c.id))); });
    }, function (ex) { showError(err, "The basemap could not be loaded: " + ex.message); });

    function load() {
      var f = formValues(form);
      showError(err, null);
      history.replaceState(null, "", location.pathname + "?" + qs(f));
      status(st, "Loading…");
      getJSON(P + "/api/map?" + qs(f)).then(function (res) {
        clear(gp); clear(places);
        var pts = res.points;
        if (!pts.length) {
          status(st, "No events with a location match these filters" + (res.unplaced ? " (" + res.unplaced + " matching events have no location)." : "."));
          return;
        }
        status(st, res.total + " located events at " + pts.length + " place/class points" + (res.unplaced ? "; " + res.unplaced + " matching events have no location." : "."));
        var max = Math.max.apply(null, pts.map(function (p) { return p.count; }));
        pts.slice().sort(function (a, b) { return b.count - a.count; }).forEach(function (p) {
          var q = QUAD[p.quad_class] || QUAD[0];
          var href = P + "/events?" + qs(Object.assign({}, f, { place: p.name, quad_class: p.quad_class }));
          var a = svg("a", { href: href, "class": "pt", "aria-label": (p.name || "?") + ": " + p.count + " " + q.name + " events" },
            svg("circle", { cx: (p.lon + 180).toFixed(2), cy: (90 - p.lat).toFixed(2), r: (0.8 + 3 * Math.sqrt(p.count / max)).toFixed(2), fill: q.color, "data-quad": p.quad_class },
              svg("title", null, (p.name || "?") + (p.country ? " (" + p.country + ")" : "") + ": " + p.count + " " + q.name + " events, mean Goldstein " + fmtNum(p.goldstein_mean, 2))));
          gp.appendChild(a);
        });
        var t = el("table", { "class": "data" }, el("caption", null, "Places (the same data as the map)"),
          el("thead", null, el("tr", null, ["Place", "Country", "Quad class", "Events", "Mean Goldstein"].map(function (h) { return el("th", { scope: "col" }, h); }))));
        var tb = el("tbody");
        pts.slice(0, 200).forEach(function (p) {
          tb.appendChild(el("tr", null, el("td", null, el("a", { href: P + "/events?" + qs(Object.assign({}, f, { place: p.name, quad_class: p.quad_class })) }, p.name || "?")),
            el("td", null, p.country || "—"), el("td", null, quadBadge(p.quad_class)), el("td", { "class": "num" }, String(p.count)), el("td", { "class": "num" }, fmtNum(p.goldstein_mean, 2))));
        });
        t.appendChild(tb);
        places.appendChild(t);
      }, function (ex) { status(st, ""); showError(err, "Could not load the map: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    load();
  }

  // ------------------------------------------------------------------ page: positions
  function pagePositions() {
    var form = $("#pos-form"), sel = $("#p-issue"), err = $("#pos-error"), st = $("#pos-status");
    var chart = $("#pos-chart"), props = $("#pos-proposals"), list = $("#pos-list");
    function who(p) { return (p.actor_name || p.actor_text || "unattributed") + (p.actor_code ? " (" + p.actor_code + ")" : ""); }
    function posItem(p) {
      return el("li", null, el("span", { "class": "badge stance-" + p.stance }, p.stance), " ", el("strong", null, who(p)), " ",
        el("span", { "class": "muted" }, p.date || "undated"), ": ",
        el("a", { href: articleUrl(p.article_id) }, el("q", null, p.evidence || "")));
    }
    function draw(res) {
      clear(chart); clear(props); clear(list);
      var pos = res.positions;
      if (!pos.length) { $("#pos-figure").hidden = true; status(st, "No positions on this issue."); return; }
      status(st, pos.length + " positions on “" + res.issue + "”, " + res.proposals.length + " proposals.");
      var dated = pos.filter(function (p) { return p.date; });
      if (dated.length) {
        var actors = [], aidx = {};
        dated.forEach(function (p) { var k = who(p); if (!(k in aidx)) { aidx[k] = actors.length; actors.push(k); } });
        var W = 900, L = 200, R = 20, T = 10, rowH = 26, H = T + actors.length * rowH + 40;
        var ts = dated.map(function (p) { return Date.parse(p.date + "T00:00:00Z"); });
        var t0 = Math.min.apply(null, ts), t1 = Math.max.apply(null, ts);
        if (t0 === t1) { t0 -= 86400000 * 3; t1 += 86400000 * 3; }
        var x = function (t) { return L + (t - t0) / (t1 - t0) * (W - L - R); };
        var root = svg("svg", { viewBox: "0 0 " + W + " " + H, "class": "timeline", role: "group", "aria-label": "Positions over time" });
        actors.forEach(function (a, i) {
          var y = T + i * rowH + rowH / 2;
          root.appendChild(svg("line", { x1: L, x2: W - R, y1: y, y2: y, "class": "grid" }));
          root.appendChild(svg("text", { x: L - 8, y: y + 4, "text-anchor": "end" }, a.length > 30 ? a.slice(0, 29) + "…" : a));
        });
        [t0, (t0 + t1) / 2, t1].forEach(function (t, i) {
          root.appendChild(svg("text", { x: x(t), y: H - 22, "text-anchor": ["start", "middle", "end"][i], "class": "axis" }, new Date(t).toISOString().slice(0, 10)));
        });
        dated.forEach(function (p, i) {
          var y = T + aidx[who(p)] * rowH + rowH / 2;
          root.appendChild(svg("circle", { cx: x(ts[i]).toFixed(1), cy: y, r: 7, fill: STANCE[p.stance] || "#888", "class": "mark", "data-stance": p.stance },
            svg("title", null, who(p) + " — " + p.stance + " (" + p.date + "): " + (p.evidence || ""))));
        });
        var lx = L;
        Object.keys(STANCE).forEach(function (s) {
          root.appendChild(svg("circle", { cx: lx, cy: H - 6, r: 5, fill: STANCE[s] }));
          root.appendChild(svg("text", { x: lx + 8, y: H - 2 }, s)); lx += 90;
        });
        chart.appendChild(root);
        $("#pos-figure").hidden = false;
      } else { $("#pos-figure").hidden = true; }
      props.appendChild(el("h2", null, "Proposals and responses"));
      if (!res.proposals.length) props.appendChild(el("p", { "class": "empty" }, "No proposals on this issue."));
      res.proposals.forEach(function (p) {
        var card = el("article", { "class": "proposal" }, el("h3", null, who(p) + " proposed" + (p.date ? " (" + p.date + ")" : "")),
          el("blockquote", null, p.evidence || ""), el("p", null, el("a", { href: articleUrl(p.article_id) }, p.article_title || "article")));
        if (p.responses.length) card.appendChild(el("ul", { "class": "responses", "aria-label": "Responses" }, p.responses.map(posItem)));
        else card.appendChild(el("p", { "class": "empty" }, "No recorded responses."));
        props.appendChild(card);
      });
      list.appendChild(el("h2", null, "All positions"));
      list.appendChild(el("ul", { "class": "positions" }, pos.map(posItem)));
    }
    function load(issue) {
      showError(err, null);
      status(st, "Loading…");
      getJSON(P + "/api/positions?" + qs({ issue: issue })).then(function (res) {
        if (!res.available) { status(st, "This store has no positions table yet."); return; }
        if (sel.options.length <= 1) {
          res.issues.forEach(function (i) { sel.appendChild(el("option", { value: i.issue }, i.issue + " (" + i.positions + ")")); });
          if (issue) sel.value = issue;
        }
        if (!res.issues.length) { status(st, "No positions are stored yet. Positions are derived from quotes and verbal events when articles are ingested."); sel.disabled = true; return; }
        if (!issue) { status(st, res.issues.length + " issues. Choose one to see its positions."); return; }
        history.replaceState(null, "", location.pathname + "?" + qs({ issue: issue }));
        draw(res);
      }, function (ex) { status(st, ""); showError(err, "Could not load positions: " + ex.message); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(sel.value); });
    load(sel.dataset.selected || "");
  }

  var pages = { code: pageCode, article: pageArticle, events: pageEvents, dyad: pageDyad, actor: pageActor,
                network: pageNetwork, map: pageMap, positions: pagePositions };
  var fn = pages[document.body.dataset.page];
  if (fn) fn();
})();
