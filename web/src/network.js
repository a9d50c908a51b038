// The network as of a date: a time slider; ties that definitely held then
// drawn solid, possibly held dashed. A neighbourhood, never a hairball.

import cytoscape from "cytoscape";
import cytoscapeSvg from "cytoscape-svg";
import { entityField, formData } from "./picker.js";
import { api, h, errorBlock, link, download, kindWords, words, fill, leftOutNotice, yearOf, DATE_PATTERN } from "./util.js";
import { evidenceBlock } from "./entity.js";

cytoscape.use(cytoscapeSvg);

const COLOURS = { Person: "#9a4a00", Company: "#1f5fbf", GovernmentBody: "#1c6b33", Product: "#6a3d9a", Organization: "#4f5869" };
const EXPORTS = [["gexf", "GEXF (Gephi)"], ["graphml", "GraphML"], ["cytoscape", "Cytoscape JSON"], ["dot", "DOT (Graphviz)"], ["csv", "CSV"]];

/** Whether the slider moved the view here, and so gets the keyboard back. */
let sliderKeepsFocus = false;

/** Renders the network view for `params.at` (a year) around `params.around`. */
export async function networkView(main, params, go) {
  const now = new Date().getFullYear();
  // Around an entity, its own years: the slider spans them and opens on
  // the latest year with the most ties; else the years of the whole store.
  const own = params.around ? await ownYears(params.around) : null;
  const years = own ? own.years : (await api("/api/stats")).map((y) => y.year);
  // A year asked for in the URL is always on the slider.
  if (/^\d{4}/.test(params.at ?? "")) years.push(Number(params.at.slice(0, 4)));
  const first = years.length ? Math.min(...years) : now - 10;
  const last = years.length ? Math.max(...years) : now;
  const at = params.at || String(own?.busiest ?? Math.min(Math.max(now, first), last));
  const limit = Number(params.limit || 60);
  const slider = h("input", { type: "range", id: "year", min: first, max: last, step: 1, value: at.slice(0, 4),
    "aria-label": "Year shown", "aria-valuetext": `as of ${at}` });
  const shown = h("output", { for: "year", id: "year-shown" }, at);
  const around = entityField("around", "Around", params.around ? [params.around] : [], { placeholder: "everyone: the most connected" });
  const knownBy = h("input", { name: "known_by", value: params.known_by ?? "", placeholder: "2015", pattern: DATE_PATTERN });
  const status = h("p", { role: "status", class: "kind-tag" });
  const canvas = h("div", { id: "network", role: "img", "aria-label": "Network diagram" });
  const panel = h("aside", { class: "network-panel", "aria-live": "polite", "aria-label": "What was clicked" },
    h("p", { class: "kind-tag" }, "Click an entity to open it or draw its ties; click a tie for its evidence."));
  const table = h("details", {});
  const state = () => ({ view: "network", at: slider.value, around: params.around ?? "", known_by: knownBy.value.trim(), limit: limit === 60 ? "" : limit });
  slider.addEventListener("input", () => { shown.value = slider.value; });
  slider.addEventListener("change", () => { sliderKeepsFocus = true; go(state(), { replace: true }); });
  const form = h("form", { class: "ask", "aria-label": "Which part of the network" },
    around, h("label", {}, "As known by (sources published by)", knownBy),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = await formData(form);
    if (data) go({ ...state(), around: data.around });
  });
  fill(main, 
    h("h1", {}, "The network as of a date"),
    h("p", { class: "lede" }, "Ties that definitely held then are solid; ties that only possibly held (uncertain dates) are dashed."),
    form,
    h("div", { class: "slider" }, h("label", { for: "year" }, "Year"), slider, shown),
    status, kindsLegend(), h("div", { class: "network-area" }, canvas, panel), exportsBar(at, params, limit), table);
  // The view is drawn anew for each year: the slider keeps the keyboard.
  if (sliderKeepsFocus) slider.focus();
  sliderKeepsFocus = false;
  try {
    const net = await api("/api/network", { at, around: params.around, limit, known_by: params.known_by });
    const known = params.known_by ? `, as known by ${params.known_by}` : "";
    status.before(leftOutNotice(net.undatedLeftOut) ?? "");
    const centre = net.nodes[0];
    const where = !centre ? "" : params.around ? ` around ${centre.label}` : ` around ${centre.label}, the most connected of the largest connected group`;
    fill(status, `${net.nodes.length} of ${net.total} entities and ${net.edges.length} ties as of ${at}${where}${known}. `,
      net.total > net.nodes.length ? link({ ...state(), limit: Math.min(limit * 2, 2000) }, "Show more") : "");
    canvas.setAttribute("aria-label", `Network as of ${at}: ${net.nodes.length} entities, ${net.edges.length} ties (${net.edges.filter((e) => e.certainty === "definitely").length} definitely held). The table below lists them.`);
    const cy = draw(canvas, net);
    const ask = { at, known_by: params.known_by };
    cy.on("tap", "node", (e) => showEntity(panel, cy, e.target, ask));
    cy.on("tap", "edge", (e) => showTie(panel, cy, e.target));
    main.querySelector(".exports").append(pictureButtons(cy, at));
    form.after(kindFilter(cy, net));
    fill(table, h("summary", {}, "The ties as a table"), tieTable(net));
  } catch (e) {
    canvas.replaceWith(errorBlock(e));
  }
}

/** The years `id`'s ties span and the latest year with the most of them; `null` when none is dated. */
async function ownYears(id) {
  // The entity page's bounds: read around the one entity, faster than its timeline.
  let page;
  try {
    page = await api("/api/entity", { id, limit: 10000 });
  } catch {
    return null;
  }
  const ties = new Map();
  for (const t of page.ties) {
    if (!t.bounds) continue;
    const { start_earliest: from, end_latest: to } = t.bounds;
    ties.set(t.id, { from: from ? Math.floor(yearOf(from)) : undefined, to: to ? Math.floor(yearOf(to)) : undefined });
  }
  const known = [...ties.values()].flatMap((t) => [t.from, t.to]).filter((y) => y !== undefined);
  if (!known.length) return null;
  // The busiest year is chosen among the years the dates speak of; the
  // slider goes on to this year when a tie's end is not known.
  const lo = Math.min(...known), last = Math.max(...known);
  const open = [...ties.values()].some((t) => t.to === undefined);
  const hi = open ? Math.max(last, new Date().getFullYear()) : last;
  let busiest = last, most = -1;
  for (let year = lo; year <= last; year++) {
    const held = [...ties.values()].filter((t) => (t.from ?? lo) <= year && year <= (t.to ?? hi)).length;
    if (held >= most) [busiest, most] = [year, held];
  }
  const years = [];
  for (let year = lo; year <= hi; year++) years.push(year);
  return { years, busiest };
}

/**
 * Where each entity starts before the layout: rings by distance from the
 * centre, in the API's order. The same answer starts from the same places,
 * so the same view is drawn the same way on every load.
 */
function seededPositions(nodes) {
  const rings = new Map();
  for (const n of nodes) rings.set(n.hops, [...(rings.get(n.hops) ?? []), n.id]);
  const at = new Map();
  for (const [hops, ids] of rings) {
    ids.forEach((id, i) => {
      const angle = (2 * Math.PI * i) / ids.length + hops * 0.5;
      at.set(id, { x: Math.cos(angle) * 160 * hops, y: Math.sin(angle) * 160 * hops });
    });
  }
  return at;
}

function draw(container, net) {
  // Ties between the same two entities are drawn side by side; in the layout
  // they pull together as one, or nine parallel ties would draw their two
  // ends on top of each other.
  const pair = (e) => [e.source, e.target].sort().join(" ");
  const parallel = new Map();
  for (const e of net.edges) parallel.set(pair(e), (parallel.get(pair(e)) ?? 0) + 1);
  const seeded = seededPositions(net.nodes);
  const cy = cytoscape({
    container,
    elements: [
      ...net.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind, degree: n.degree }, position: { ...seeded.get(n.id) },
        classes: n.hops === 0 && n === net.nodes[0] ? "centre" : "" })),
      ...net.edges.map((e) => ({ data: { id: `e:${e.id}`, source: e.source, target: e.target, label: words(e.kind), kind: e.kind, certainty: e.certainty,
        when: e.when, parallel: parallel.get(pair(e)) } })),
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
      { selector: "node.centre", style: { "border-width": 4, "border-color": "#1d2330", "font-weight": "bold", "font-size": 14 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#c2410c" } },
      { selector: "edge:selected", style: { "line-color": "#c2410c", "target-arrow-color": "#c2410c", label: "data(label)" } },
      { selector: ".hidden-kind", style: { display: "none" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 140,
      edgeElasticity: (e) => 32 * e.data("parallel"), nodeDimensionsIncludeLabels: true, padding: 30 },
    minZoom: 0.05,
    maxZoom: 1.6,
    wheelSensitivity: 0.3,
  });
  readable(cy);
  cy.on("mouseover", "node, edge", (e) => (e.target.isNode() ? e.target.connectedEdges() : e.target).addClass("named"));
  cy.on("mouseout", "node, edge", (e) => (e.target.isNode() ? e.target.connectedEdges() : e.target).removeClass("named"));
  window.interlockNetwork = cy;
  return cy;
}

/** At the first zoom labels are read, not guessed: a drawing fitted smaller than that is shown at that size around its centre. */
function readable(cy) {
  const smallest = 0.7;
  if (cy.zoom() >= smallest) return;
  const centre = cy.nodes(".centre").first();
  cy.zoom(smallest);
  cy.center(centre.nonempty() ? centre : cy.nodes().first());
}

/** A click on an entity: its name, a link to its page, and a button that draws its own ties here. */
function showEntity(panel, cy, node, ask) {
  const expand = h("button", { type: "button", class: "secondary" }, "Draw its ties here");
  expand.addEventListener("click", async () => {
    expand.disabled = true;
    try {
      const more = await api("/api/network", { around: node.id(), hops: 1, limit: 40, ...ask });
      const added = grow(cy, node, more);
      expand.replaceWith(h("p", { class: "kind-tag" }, added ? `${added} more drawn.` : "All its ties are drawn."));
    } catch (e) {
      expand.replaceWith(errorBlock(e));
    }
  });
  fill(panel, h("h2", {}, node.data("label")), h("p", { class: "kind-tag" }, kindWords(node.data("kind")), ` · ${node.data("degree")} ties then`),
    h("p", {}, link({ entity: node.id() }, "Open its page")), expand);
}

/** Adds `more`'s entities and ties that are not drawn yet, placed around `node`; how many entities were added. */
function grow(cy, node, more) {
  const fresh = more.nodes.filter((n) => cy.getElementById(n.id).empty());
  const { x, y } = node.position();
  cy.add(fresh.map((n, i) => ({ data: { id: n.id, label: n.label, kind: n.kind, degree: n.degree },
    position: { x: x + 120 * Math.cos((2 * Math.PI * i) / fresh.length), y: y + 120 * Math.sin((2 * Math.PI * i) / fresh.length) } })));
  cy.add(more.edges.filter((e) => cy.getElementById(`e:${e.id}`).empty())
    .map((e) => ({ data: { id: `e:${e.id}`, source: e.source, target: e.target, label: words(e.kind), kind: e.kind, certainty: e.certainty, when: e.when, parallel: 1 } })));
  return fresh.length;
}

/** A click on a tie: what it is, and the evidence its subject's page holds for it. */
async function showTie(panel, cy, edge) {
  const [from, to] = [edge.source(), edge.target()];
  fill(panel, h("h2", {}, `${from.data("label")} — ${edge.data("label")} — ${to.data("label")}`),
    h("p", { class: "kind-tag" }, `${edge.data("certainty")} held then · ${edge.data("when") ?? "date unknown"}`),
    h("p", { class: "loading", role: "status" }, "Reading its evidence…"));
  try {
    const page = await api("/api/entity", { id: from.id(), limit: 10000 });
    const tie = page.ties.find((t) => `e:${t.id}` === edge.id());
    panel.querySelector(".loading").replaceWith(tie?.evidence.length ? h("div", {}, tie.evidence.map(evidenceBlock)) : h("p", {}, "No quoted evidence."));
  } catch (e) {
    panel.querySelector(".loading").replaceWith(errorBlock(e));
  }
}

/** One checkbox per kind of tie drawn: unticked kinds are hidden. */
function kindFilter(cy, net) {
  const kinds = [...new Set(net.edges.map((e) => e.kind))].sort();
  if (kinds.length < 2) return "";
  return h("fieldset", { class: "kinds" }, h("legend", {}, "Kinds of tie shown"),
    kinds.map((kind) => h("label", {}, h("input", { type: "checkbox", checked: true, value: kind,
      onchange: (e) => cy.edges(`[kind = "${kind}"]`).toggleClass("hidden-kind", !e.target.checked) }), ` ${words(kind)}`)));
}

/** The downloads of what is drawn: the same entities (around the same centre, as many) as the picture. */
function exportsBar(at, params, limit) {
  const knownBy = params.known_by;
  const query = new URLSearchParams({ at, limit, ...(knownBy ? { known_by: knownBy } : {}), ...(params.around ? { around: params.around } : {}) }).toString();
  return h("div", { class: "exports" }, h("span", {}, `Download what is drawn, as of ${at}${knownBy ? `, as known by ${knownBy}` : ""}:`),
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
      h("td", {}, e.when ?? "date unknown")))));
}


function kindsLegend() {
  return h("p", { class: "legend" }, Object.entries(COLOURS).map(([kind, colour]) =>
    h("span", {}, h("span", { style: `display:inline-block;width:10px;height:10px;border-radius:5px;background:${colour};margin-right:4px`, "aria-hidden": "true" }), kindWords(kind))));
}
