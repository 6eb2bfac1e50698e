/* The annotated article (actors, triggers, quotes, event cards): the code and article pages. */
(function () {
  "use strict";
  var EC = window.EC, P = EC.P, QUAD = EC.QUAD, $ = EC.$, el = EC.el, clear = EC.clear,
      showError = EC.showError, status = EC.status, safeUrl = EC.safeUrl, fmtNum = EC.fmtNum,
      actorLabel = EC.actorLabel, articleUrl = EC.articleUrl, qs = EC.qs, formValues = EC.formValues,
      getJSON = EC.getJSON, postJSON = EC.postJSON, quadBadge = EC.quadBadge;

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

  EC.pages.code = pageCode;
  EC.pages.article = pageArticle;
})();
