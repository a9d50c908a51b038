// The investigator's desk: one page over interlock's JSON API. Every view's
// state lives in the URL (`/?entity=reed-hastings`, `/?view=links&from=…`),
// so a pasted URL reopens the same view. Nothing here computes what the
// library computes: the page asks and draws.

import { api, h, link, errorBlock, kindWords, urlOf, fill, add } from "./util.js";
import { entityView } from "./entity.js";
import { linksView } from "./links.js";
import { networkView } from "./network.js";
import { timelineView } from "./timeline.js";
import { sparqlView } from "./sparql.js";
import { datasetsView } from "./datasets.js";
import { interlocksView } from "./interlocks.js";
import { suggest } from "./picker.js";
import { sourceView } from "./source.js";

const VIEWS = { links: linksView, network: networkView, timeline: timelineView, interlocks: interlocksView, sparql: sparqlView, datasets: datasetsView };

/** The current view's state, from the URL. */
function current() {
  const params = Object.fromEntries(new URLSearchParams(location.search));
  if (location.pathname === "/sparql" && !params.view) params.view = "sparql";
  return params;
}

/** Goes to the view of `params`; `replace` keeps one history entry, `quiet` only updates the URL. */
function go(params, { replace = false, quiet = false } = {}) {
  const url = urlOf(params);
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  if (!quiet) render();
}

let rendering = 0;

async function render() {
  const main = document.getElementById("main");
  const params = current();
  const ticket = ++rendering;
  fill(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  document.title = "interlock — who linked which companies, how, and when";
  try {
    if (!["/", "/sparql", "/index.html"].includes(location.pathname)) notFound(main);
    else if (params.entity) await entityView(main, params, go);
    else if (params.source) await sourceView(main, params);
    else if (VIEWS[params.view]) await VIEWS[params.view](main, params, go);
    else await home(main);
  } catch (e) {
    if (ticket === rendering) fill(main, h("h1", {}, "That did not work"), errorBlock(e));
  }
  document.querySelectorAll("nav a").forEach((a) => {
    const here = new URL(a.href).searchParams.get("view") === params.view && !params.entity;
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}

/** A path the page has no view for (the server answered it 404). */
function notFound(main) {
  document.title = "Nothing here — interlock";
  fill(main, h("h1", {}, "Nothing here"),
    h("p", { class: "lede" }, `There is no page at ${location.pathname}.`),
    h("p", {}, h("a", { href: "/", "data-nav": true }, "Start from the beginning"), ", or find a person or company above."));
}

async function home(main) {
  fill(main, 
    h("h1", {}, "Who linked which companies, how, and when — and who says so?"),
    h("p", { class: "lede" }, "Find a person or company above, or start from one of these."),
    h("div", { class: "home-cards" },
      link({ view: "links" }, h("strong", {}, "How were they linked?"), h("br"), "Every chain between two entities, the surest first, with its sources."),
      link({ view: "network" }, h("strong", {}, "The network as of a date"), h("br"), "Slide through the years: what definitely held, what possibly did."),
      link({ view: "timeline" }, h("strong", {}, "The timeline"), h("br"), "Everything dated, in order, each date as stated."),
      link({ view: "interlocks" }, h("strong", {}, "Who sat on several boards"), h("br"), "People holding positions at two organizations at once, at a date."),
      link({ view: "sparql" }, h("strong", {}, "SPARQL"), h("br"), "The shipped queries, ready to run; your own.")));
  const central = await api("/api/centrality", { measure: "degree", top: 12 });
  if (central.length) {
    add(main, h("h2", {}, "The most connected"),
      h("ul", {}, central.map((c) => h("li", {}, link({ entity: c.id }, c.label), h("span", { class: "kind-tag" }, ` · ${kindWords(c.kind)}`)))));
  }
}

/** The search box: answers as you type, arrow keys to choose, Enter to open. */
function searchBox() {
  const input = document.getElementById("search");
  suggest(input, document.getElementById("search-results"), (entity) => { input.value = ""; go({ entity: entity.id }); });
}

// Links within the page change the view without reloading it.
document.addEventListener("click", (e) => {
  const a = e.target.closest("a[data-nav]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  const url = new URL(a.getAttribute("href") ?? a.getAttribute("xlink:href"), location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  history.pushState(null, "", url.pathname + url.search);
  render();
  document.getElementById("main").focus();
});
window.addEventListener("popstate", render);
searchBox();
render();
