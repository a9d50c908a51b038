// The network as of a date: a time slider; ties that definitely held then
// drawn solid, possibly held dashed. A neighbourhood, never a hairball.

import cytoscape from "cytoscape";
import cytoscapeSvg from "cytoscape-svg";
import { api, h, errorBlock, link, download, kindWords, words, fill, leftOutNotice, DATE_PATTERN } from "./util.js";

cytoscape.use(cytoscapeSvg);

const COLOURS = { Person: "#9a4a00", Company: "#1f5fbf", GovernmentBody: "#1c6b33", Product: "#6a3d9a", Organization: "#4f5869" };
const EXPORTS = [["gexf", "GEXF (Gephi)"], ["graphml", "GraphML"], ["cytoscape", "Cytoscape JSON"], ["dot", "DOT (Graphviz)"], ["csv", "CSV"]];

/** Renders the network view for `params.at` (a year) around `params.around`. */
export async function networkView(main, params, go) {
  const stats = await api("/api/stats");
  const years = stats.map((y) => y.year);
  const now = new Date().getFullYear();
  const first = years.length ? Math.min(...years) : now - 10;
  const last = years.length ? Math.max(...years) : now;
  const at = params.at || String(Math.min(Math.max(now, first), last));
  const limit = Number(params.limit || 60);
  const slider = h("input", { type: "range", id: "year", min: first, max: last, step: 1, value: at.slice(0, 4),
    "aria-label": "Year shown", "aria-valuetext": `as of ${at}` });
  const shown = h("output", { for: "year", id: "year-shown" }, at);
  const around = h("input", { name: "around", value: params.around ?? "", placeholder: "all: the most connected" });
  const knownBy = h("input", { name: "known_by", value: params.known_by ?? "", placeholder: "2015", pattern: DATE_PATTERN });
  const status = h("p", { role: "status", class: "kind-tag" });
  const canvas = h("div", { id: "network", role: "img", "aria-label": "Network diagram" });
  const table = h("details", {});
  const state = () => ({ view: "network", at: slider.value, around: around.value.trim(), known_by: knownBy.value.trim(), limit: limit === 60 ? "" : limit });
  slider.addEventListener("input", () => { shown.value = slider.value; });
  slider.addEventListener("change", () => go(state(), { replace: true }));
  const form = h("form", { class: "ask", "aria-label": "Which part of the network" },
    h("label", {}, "Around (entity id)", around), h("label", {}, "As known by (sources published by)", knownBy),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); go(state()); });
  fill(main, 
    h("h1", {}, "The network as of a date"),
    h("p", { class: "lede" }, "Ties that definitely held then are solid; ties that only possibly held (uncertain dates) are dashed. Click an entity to open its page."),
    form,
    h("div", { class: "slider" }, h("label", { for: "year" }, "Year"), slider, shown),
    status, kindsLegend(), canvas, exportsBar(at, params.known_by), table);
  try {
    const net = await api("/api/network", { at, around: params.around, limit, known_by: params.known_by });
    const known = params.known_by ? `, as known by ${params.known_by}` : "";
    status.before(leftOutNotice(net.undatedLeftOut) ?? "");
    fill(status, `${net.nodes.length} of ${net.total} entities and ${net.edges.length} ties as of ${at}${known}. `,
      net.total > net.nodes.length ? link({ ...state(), limit: Math.min(limit * 2, 2000) }, "Show more") : "");
    canvas.setAttribute("aria-label", `Network as of ${at}: ${net.nodes.length} entities, ${net.edges.length} ties (${net.edges.filter((e) => e.certainty === "definitely").length} definitely held). The table below lists them.`);
    const cy = draw(canvas, net, go);
    main.querySelector(".exports").append(pictureButtons(cy, at));
    fill(table, h("summary", {}, "The ties as a table"), tieTable(net));
  } catch (e) {
    canvas.replaceWith(errorBlock(e));
  }
}

function draw(container, net, go) {
  // Ties between the same two entities are drawn side by side; in the layout
  // they pull together as one, or nine parallel ties would draw their two
  // ends on top of each other.
  const pair = (e) => [e.source, e.target].sort().join(" ");
  const parallel = new Map();
  for (const e of net.edges) parallel.set(pair(e), (parallel.get(pair(e)) ?? 0) + 1);
  const cy = cytoscape({
    container,
    elements: [
      ...net.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind, degree: n.degree } })),
      ...net.edges.map((e) => ({ data: { id: `e:${e.id}`, source: e.source, target: e.target, label: words(e.kind), certainty: e.certainty, parallel: parallel.get(pair(e)) } })),
    ],
    style: [
      { selector: "node", style: { label: "data(label)", "background-color": (n) => COLOURS[n.data("kind")] ?? "#4f5869",
        width: (n) => 14 + Math.min(30, 4 * Math.sqrt(n.data("degree"))), height: (n) => 14 + Math.min(30, 4 * Math.sqrt(n.data("degree"))),
        "font-size": 12, color: "#1d2330", "text-valign": "bottom", "text-margin-y": 4, "text-background-color": "#fff", "text-background-opacity": 0.7 } },
      { selector: "edge", style: { width: 3.5, "line-color": "#1f5fbf", "curve-style": "bezier", "control-point-step-size": 22, "target-arrow-shape": "triangle", "target-arrow-color": "#1f5fbf",
        "arrow-scale": 0.8, "font-size": 9, color: "#1d2330", "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85 } },
      { selector: "edge[certainty = 'possibly']", style: { width: 1.5, "line-style": "dashed", "line-dash-pattern": [6, 4], "line-color": "#7f9bcf", "target-arrow-color": "#7f9bcf" } },
      // A tie's kind shows while the pointer is on it or on one of its ends.
      { selector: "edge.named", style: { label: "data(label)" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 140,
      edgeElasticity: (e) => 32 * e.data("parallel"), nodeDimensionsIncludeLabels: true, padding: 30 },
    minZoom: 0.05,
    maxZoom: 1.6,
    wheelSensitivity: 0.3,
  });
  cy.on("tap", "node", (e) => go({ entity: e.target.id() }));
  cy.on("mouseover", "node, edge", (e) => (e.target.isNode() ? e.target.connectedEdges() : e.target).addClass("named"));
  cy.on("mouseout", "node, edge", (e) => (e.target.isNode() ? e.target.connectedEdges() : e.target).removeClass("named"));
  window.interlockNetwork = cy;
  return cy;
}

function exportsBar(at, knownBy) {
  const query = `at=${encodeURIComponent(at)}${knownBy ? `&known_by=${encodeURIComponent(knownBy)}` : ""}`;
  return h("div", { class: "exports" }, h("span", {}, `Download the graph as of ${at}${knownBy ? `, as known by ${knownBy}` : ""}:`),
    EXPORTS.map(([format, label]) => h("a", { class: "button secondary", href: `/api/export/${format}?${query}`,
      download: `interlock-${at}.${format === "cytoscape" ? "cyjs" : format}`, "data-export": format }, label)));
}

function pictureButtons(cy, at) {
  return h("span", { class: "pictures" }, "The picture:",
    h("button", { type: "button", class: "secondary", "data-picture": "svg",
      onclick: () => download(new Blob([cy.svg({ full: true, bg: "#ffffff" })], { type: "image/svg+xml" }), `interlock-${at}.svg`) }, "SVG"),
    h("button", { type: "button", class: "secondary", "data-picture": "png",
      onclick: () => download(cy.png({ full: true, bg: "#ffffff", output: "blob", scale: 2 }), `interlock-${at}.png`) }, "PNG"));
}

function tieTable(net) {
  const label = new Map(net.nodes.map((n) => [n.id, n.label]));
  return h("table", { class: "rows" },
    h("thead", {}, h("tr", {}, ["From", "Tie", "To", "Held", "When"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, net.edges.map((e) => h("tr", {},
      h("td", {}, link({ entity: e.source }, label.get(e.source))),
      h("td", {}, words(e.kind)),
      h("td", {}, link({ entity: e.target }, label.get(e.target))),
      h("td", {}, e.certainty),
      h("td", {}, e.time ?? "date unknown")))));
}


function kindsLegend() {
  return h("p", { class: "legend" }, Object.entries(COLOURS).map(([kind, colour]) =>
    h("span", {}, h("span", { style: `display:inline-block;width:10px;height:10px;border-radius:5px;background:${colour};margin-right:4px`, "aria-hidden": "true" }), kindWords(kind))));
}
