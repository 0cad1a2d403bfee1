// The kg workbench: YASGUI's editor (Yasqe) and result table (Yasr) on this server's /sparql,
// the shipped queries in a menu, and actors in the results linked to the network view.
// Everything shown from the graph is text: it reaches the page through textContent, or
// through escapeHtml where Yasr's table takes HTML. Nothing is fetched from anywhere but this
// server (the page's Content-Security-Policy says so too): no prefix.cc, no LOV, no share links.
(function () {
  "use strict";
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;
  var XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
  var actors = new Map();   // IRI -> label, the actors the view draws
  var byLabel = new Map();  // label -> IRI (the first in IRI order)
  var prefixes = {};
  var fields = [];          // [name, input] for the chosen query's parameters
  window.kgReady = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"};
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  function compact(iri) {
    var best = "";
    var name = "";
    Object.keys(prefixes).forEach(function (prefix) {
      var base = prefixes[prefix];
      if (iri.indexOf(base) === 0 && base.length > best.length) { best = base; name = prefix; }
    });
    var local = iri.slice(best.length);
    return best && /^[A-Za-z0-9_.-]+$/.test(local) ? name + ":" + local : "<" + iri + ">";
  }
  function viewUrl(iri) { return "/view?focus=" + encodeURIComponent(iri); }
  function actorLink(iri, text) {
    return "<a class=\"kg-actor\" target=\"kg-view\" href=\"" + escapeHtml(viewUrl(iri)) + "\" data-iri=\"" +
      escapeHtml(iri) + "\">" + escapeHtml(text) + "</a>";
  }

  // Yasr's table, with cells of our own: an actor (its IRI, or a literal that is its label)
  // opens the view around it; no other IRI is a link, as it names a page elsewhere.
  class KgTable extends Yasr.plugins.table {
    // What DataTables sorts and searches by is the escaped text too: Yasr passes raw values
    // through DOMPurify there, and DataTables writes them into a detached element to strip tags.
    getColumns() {
      var self = this;
      var columns = super.getColumns();
      columns.slice(1).forEach(function (column) {
        column.render = function (binding, type) {
          if (binding === "") { return binding; }
          return type === "display" ? self.getCellContent(binding) : escapeHtml(binding.value);
        };
      });
      return columns;
    }
    getUriLinkFromBinding(binding) {
      var iri = String(binding.value);
      return actors.has(iri) ? actorLink(iri, compact(iri)) : "<span class=\"kg-iri\">" + escapeHtml(compact(iri)) + "</span>";
    }
    getCellContent(binding) {
      if (binding.type === "uri") { return "<div><span>" + this.getUriLinkFromBinding(binding) + "</span></div>"; }
      var text = String(binding.value);
      var html = byLabel.has(text) ? actorLink(byLabel.get(text), text) : escapeHtml(text);
      // A number or a date reads as itself; its datatype is in the tooltip.
      var kind = binding["xml:lang"] ? "@" + binding["xml:lang"] :
        binding.datatype && binding.datatype !== XSD_STRING ? compact(String(binding.datatype)) : "";
      return "<div><span class=\"nonIri\"" + (kind ? " title=\"" + escapeHtml(kind) + "\"" : "") + ">" + html +
        "</span></div>";
    }
  }
  Yasr.registerPlugin("table", KgTable);

  // Only completers that read nothing but the query: the bundled prefix list could redefine kg:.
  Yasqe.defaults.autocompleters = ["variables"];
  var yasqe = new Yasqe(document.getElementById("kg-yasqe"), {
    persistenceId: null,
    consumeShareLink: null,
    createShareableLink: null,
    createShortLink: null,
    editorHeight: "280px",
    requestConfig: {
      endpoint: window.location.origin + "/sparql",
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
      args: function () {
        var text = yasqe.getValue();
        return fields.filter(function (field) {
          return field[1].value.trim() && new RegExp("[?$]" + field[0] + "\\b").test(text);
        }).map(function (field) { return {name: "$" + field[0], value: field[1].value.trim()}; });
      }
    }
  });
  var yasr = new Yasr(document.getElementById("kg-yasr"), {
    persistenceId: null,
    pluginOrder: ["table", "response"],
    defaultPlugin: "table",
    prefixes: function () { return prefixes; }
  });
  var note = document.getElementById("kg-note");
  yasqe.on("queryBefore", function () { note.hidden = true; window.kgDrawn = false; });
  yasqe.on("queryResponse", function (_yasqe, response, duration) {
    yasr.setResponse(response, duration);
    var truncated = response && response.headers && response.headers.get ? response.headers.get("Kg-Truncated") : null;
    note.textContent = truncated || "";
    note.hidden = !truncated;
    window.kgDrawn = true;
  });
  window.kgYasqe = yasqe;
  window.kgYasr = yasr;

  // The shipped queries, with PREFIX lines for the shipped prefixes they use (the endpoint
  // declares them anyway; the editor shows what they stand for).
  function withPrefixes(text) {
    var used = Object.keys(prefixes).filter(function (prefix) {
      return new RegExp("(^|[\\s(,/^|!])" + prefix + ":").test(text.replace(/^#.*$/gm, ""));
    });
    var lines = used.sort().map(function (prefix) { return "PREFIX " + prefix + ": <" + prefixes[prefix] + ">"; });
    return (lines.length ? lines.join("\n") + "\n" : "") + text;
  }
  var form = document.getElementById("kg-params");
  var box = document.getElementById("kg-param-fields");
  function choose(query, button) {
    document.querySelectorAll("#kg-queries button").forEach(function (b) { b.classList.remove("kg-chosen"); });
    button.classList.add("kg-chosen");
    yasqe.setValue(withPrefixes(query.text));
    box.textContent = "";
    fields = query.params.map(function (param) {
      var label = el("label", null, "?" + param.name + (param.required ? " (required)" : ""));
      label.appendChild(el("span", null, param.help));
      var input = el("input");
      input.name = param.name;
      input.autocomplete = "off";
      label.appendChild(input);
      box.appendChild(label);
      return [param.name, input];
    });
    form.hidden = fields.length === 0;
    if (query.params.some(function (param) { return param.required; })) {
      fields[0][1].focus();
    } else {
      yasqe.query().catch(function () {});
    }
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    yasqe.query().catch(function () {});
  });

  // The network view, in the pane: the actor a link names is selected once the layout settles,
  // so the evidence panel shows its relations and sentences.
  var pane = document.getElementById("kg-pane");
  var frame = document.getElementById("kg-view");
  var paneTitle = document.getElementById("kg-pane-title");
  var paneOpen = document.getElementById("kg-pane-open");
  var wanted = null;
  // Caught before Yasr's table sees the click (it takes the first click on a cut cell to widen it).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[target='kg-view']") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    event.stopPropagation();
    var iri = link.dataset.iri || null;
    wanted = iri ? actors.get(iri) : null;
    pane.hidden = false;
    paneTitle.textContent = wanted ? "Network view around " + wanted : "Network view";
    paneOpen.href = link.getAttribute("href");
    frame.src = link.getAttribute("href");
  }, true);
  frame.addEventListener("load", function () {
    var view = frame.contentWindow;
    var label = wanted;
    var tries = 0;
    (function select() {
      if (!view || !label || tries++ > 600) { return; }
      if (view.kgSettled !== true || typeof view.kgFind !== "function") { setTimeout(select, 100); return; }
      view.kgFind(label);
    })();
  });
  document.getElementById("kg-pane-close").addEventListener("click", function () {
    pane.hidden = true;
    frame.src = "about:blank";
  });

  function getJson(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.json();
    });
  }
  Promise.all([getJson("/api/queries"), getJson("/api/actors")]).then(function (answers) {
    var info = answers[0];
    prefixes = info.prefixes;
    Object.keys(answers[1]).forEach(function (iri) {
      var label = answers[1][iri];
      actors.set(iri, label);
      if (!byLabel.has(label)) { byLabel.set(label, iri); }
    });
    document.getElementById("kg-graph").textContent =
      info.graph + ": " + info.triples + " triples, " + info.actors + " actors";
    var list = document.getElementById("kg-queries");
    info.queries.forEach(function (query) {
      var item = el("li");
      var button = el("button");
      button.type = "button";
      button.dataset.query = query.name;
      button.appendChild(el("span", "kg-name", query.name));
      button.appendChild(el("span", "kg-description", query.description));
      button.addEventListener("click", function () { choose(query, button); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!yasqe.getValue().trim()) {
      yasqe.setValue(withPrefixes("SELECT ?actor ?label WHERE {\n  ?actor a kg:Person ; rdfs:label ?label .\n}\nORDER BY ?label\nLIMIT 20\n"));
    }
    window.kgReady = true;
  }).catch(function (error) {
    document.getElementById("kg-graph").textContent = "cannot load the workbench: " + error.message;
  });
})();
