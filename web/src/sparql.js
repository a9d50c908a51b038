// SPARQL: YASGUI on the server's own endpoint, with the shipped queries of
// queries/ ready to run; results as a table YASGUI can download.

import { api, h, errorBlock, fill, add } from "./util.js";

let loading;

/** An entity's IRI under the default base: the base, then its id (relationships, sources and graphs have a path of their own). */
const ENTITY_IRI = /^https:\/\/w3id\.org\/interlock\/id\/([^/?#]+)$/;

/** Loads YASGUI (served by interlock, never from a CDN) once. */
function loadYasgui() {
  loading ??= new Promise((resolve, reject) => {
    document.head.append(h("link", { rel: "stylesheet", href: "/assets/yasgui.min.css" }));
    const script = h("script", { src: "/assets/yasgui.min.js" });
    script.onload = () => resolve(window.Yasgui);
    script.onerror = () => reject(new Error("the SPARQL editor could not be loaded"));
    document.head.append(script);
  });
  return loading;
}

/** Renders the editor with `params.query` (or the first shipped query). */
export async function sparqlView(main, params, go) {
  const holder = h("div", { id: "yasgui" });
  const list = h("div", { class: "exports", role: "group", "aria-label": "Shipped queries" });
  fill(main, 
    h("h1", {}, "SPARQL"),
    h("p", { class: "lede" }, "Ask the store anything in SPARQL 1.1 (the endpoint is /sparql; rdflib, SPARQLWrapper and curl work too). Results download from the table's toolbar."),
    list, holder);
  let Yasgui, queries;
  try {
    [Yasgui, queries] = await Promise.all([loadYasgui(), api("/api/queries")]);
  } catch (e) {
    add(main, errorBlock(e));
    return;
  }
  const yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: `${location.origin}/sparql`, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
  });
  const tab = yasgui.getTab();
  const yasqe = tab.getYasqe();
  const chosen = queries.find((q) => q.name === params.name);
  tab.setQuery(params.query ?? chosen?.query ?? queries[0]?.query ?? "SELECT * WHERE { ?s ?p ?o } LIMIT 10");
  yasqe.on("query", () => go({ view: "sparql", query: yasqe.getValue() }, { replace: true, quiet: true }));
  add(list, h("span", {}, "Ready to run:"), queries.map((q) => h("button", {
    type: "button", class: "secondary", title: q.title, "data-query": q.name,
    onclick: () => { tab.setQuery(q.query); yasqe.query(); },
  }, q.name.replace(/-/g, " "))));
  accessible(holder);
  new MutationObserver(() => accessible(holder)).observe(holder, { childList: true, subtree: true });
  window.interlockYasgui = yasgui;
  if (params.query || params.name) yasqe.query();
}

/** Names and focus YASGUI leaves out, added after it draws (axe-core checks the page). */
function accessible(root) {
  const name = (selector, label) => root.querySelectorAll(selector).forEach((el) => {
    if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", label);
  });
  name("input.autocomplete", "SPARQL endpoint");
  name(".CodeMirror textarea", "SPARQL query");
  name("select.tableSizer", "Rows per page");
  name(".dataTables_filter input, input[type=search]", "Filter the results");
  // An entity's IRI in the results opens its page here, not the IRI's
  // namespace on the web (w3id.org knows nothing of this store).
  root.querySelectorAll(".yasr a[href]").forEach((a) => {
    const id = ENTITY_IRI.exec(a.getAttribute("href"))?.[1];
    if (!id) return;
    a.setAttribute("href", `/?entity=${encodeURIComponent(decodeURIComponent(id))}`);
    a.setAttribute("data-nav", "");
    a.removeAttribute("target");
  });
  // CodeMirror takes its scroller out of the tab order (tabindex -1); keyboard users need it.
  root.querySelectorAll(".CodeMirror-scroll").forEach((el) => {
    if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");
  });
}
