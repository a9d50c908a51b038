// The datasets the store holds: what each is (title, licence, sources),
// how much it holds, the span of its dates, and, for an imported one, what
// its import read: rows loaded and rejected by reason, how well its
// relationships are dated, ids the rows gave differing names.

import { api, h, fill, add } from "./util.js";

const number = new Intl.NumberFormat("en");

/** Renders every dataset of the store as a table. */
export async function datasetsView(main) {
  fill(main, h("h1", {}, "Datasets"),
    h("p", { class: "lede" }, "Each dataset is one named graph: a timeline file, or a register imported through a mapping."));
  const datasets = await api("/api/datasets");
  if (!datasets.length) {
    add(main, h("p", {}, "The store holds no dataset yet."));
    return;
  }
  add(main, h("table", { class: "rows datasets" },
    h("caption", { class: "visually-hidden" }, "Datasets in the store"),
    h("thead", {}, h("tr", {},
      ["Dataset", "Sources and licence", "Entities", "Relationships", "Dates", "Import"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, datasets.map(row))));
}

function row(d) {
  return h("tr", { id: `dataset-${d.id}` },
    h("th", { scope: "row" }, h("strong", {}, d.title ?? d.id), h("br"), h("code", {}, d.id)),
    h("td", {}, sources(d), d.license && h("div", { class: "license" }, `Licence: ${d.license}`)),
    h("td", { class: "count" }, number.format(d.entities)),
    h("td", { class: "count" }, number.format(d.relationships), dated(d.report)),
    h("td", { class: "span" }, d.earliest || d.latest
      ? [h("span", {}, d.earliest ?? "…"), " to ", h("span", {}, d.latest ?? "…")]
      : "undated"),
    h("td", {}, imported(d.report)));
}

function sources(d) {
  const named = d.sources.map((s) => s.url ? h("a", { href: s.url, rel: "noopener" }, s.title) : s.title);
  const more = d.sources_total - d.sources.length;
  return h("div", {}, named.flatMap((n, i) => (i ? ["; ", n] : [n])), more > 0 ? ` and ${number.format(more)} more` : "");
}

/** How well an import's relationships are dated. */
function dated(report) {
  if (!report) return "";
  const r = report.relationships;
  return h("div", { class: "detail" }, `${number.format(r.dated)} dated, ${number.format(r.half_dated)} half-dated, ${number.format(r.undated)} undated`);
}

/** What the import read: rows, rejects by reason, ids with differing names. */
function imported(report) {
  if (!report) return h("span", { class: "detail" }, "written as a timeline");
  const reasons = Object.entries(report.rejected).map(([why, n]) => `${number.format(n)} ${why}`);
  return h("div", {},
    `${number.format(report.rows_read)} rows read, ${number.format(report.rows_loaded)} loaded`,
    reasons.length ? h("div", { class: "rejected" }, `Rejected: ${reasons.join(", ")}`) : h("div", { class: "detail" }, "none rejected"),
    report.ids_with_differing_names > 0 && h("details", {},
      h("summary", {}, `${number.format(report.ids_with_differing_names)} ${report.ids_with_differing_names === 1 ? "id" : "ids"} with differing names`),
      h("ul", {}, report.differing_names.map((e) => h("li", {}, h("code", {}, e.id), `: ${e.names.join(" · ")}`)))));
}
