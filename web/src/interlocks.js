// "Who sat on several boards at a date": every interlock (one person's
// positions at two organizations that overlapped), as `interlock
// interlocks` and /api/interlocks give them, in a table people sort and
// download.

import { api, h, link, errorBlock, certaintyTag, fill, add, download, leftOutNotice, windowWords, DATE_PATTERN } from "./util.js";

/** How many rows are drawn; the CSV always holds every one. */
const SHOWN = 1000;

const COLUMNS = [
  ["Person", (r) => r.through_label],
  ["Organization", (r) => r.a_label],
  ["Organization", (r) => r.b_label],
  ["Held together", (r) => r.certainty],
  ["When both held", (r) => windowWords(r.window)],
];

/** Renders the interlocks at `params.at` (or `during`), as known by `params.known_by`. */
export async function interlocksView(main, params, go) {
  const field = (name, label, attrs) => h("label", {}, label, h("input", { name, value: params[name] ?? "", ...attrs }));
  const form = h("form", { class: "ask", "aria-label": "Interlocks when" },
    field("at", "At a date", { placeholder: "2008-03", pattern: DATE_PATTERN }),
    field("during", "Or during a window", { placeholder: "2005/2010" }),
    field("known_by", "As known by (sources published by)", { placeholder: "2015", pattern: DATE_PATTERN }),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); go({ view: "interlocks", ...Object.fromEntries(new FormData(form)) }); });
  fill(main, h("h1", {}, "Who sat on several boards"),
    h("p", { class: "lede" }, "Each row is one person holding positions (board seats, executive roles, employment) at two organizations at the same time: definitely, or only possibly where the dates are uncertain."),
    form);
  let rows;
  try {
    rows = await api("/api/interlocks", { at: params.at, during: params.during, known_by: params.known_by });
  } catch (e) {
    add(main, errorBlock(e));
    return;
  }
  const when = params.at ? ` at ${params.at}` : params.during ? ` during ${params.during}` : "";
  const people = new Set(rows.map((r) => r.through)).size;
  const body = h("tbody", {});
  const table = h("table", { class: "rows sortable" },
    h("caption", { class: "visually-hidden" }, `Interlocks${when}`),
    h("thead", {}, h("tr", {}, COLUMNS.map(([name], i) => h("th", { scope: "col", "aria-sort": i === 0 ? "ascending" : "none" },
      h("button", { type: "button", class: "sort", onclick: () => sortBy(table, body, rows, i) }, name))))),
    body);
  add(main,
    h("h2", {}, `${people} ${people === 1 ? "person" : "people"} on several boards${when}: ${rows.length} pair${rows.length === 1 ? "" : "s"} of positions`),
    leftOutNotice(rows.undatedLeftOut),
    rows.length ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => download(csv(rows), `interlocks${when.replace(/\W+/g, "-")}.csv`) },
      "Download as CSV"), rows.length > SHOWN ? ` The first ${SHOWN} are shown; the CSV holds all ${rows.length}.` : "") : h("p", {}, "No one held two positions at once then."),
    rows.length ? table : "");
  sortBy(table, body, rows, 0, "ascending");
}

/** Sorts the rows by column `i` (a second click reverses) and draws the first ones. */
function sortBy(table, body, rows, i, order) {
  const th = table.querySelectorAll("th")[i];
  const next = order ?? (th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
  table.querySelectorAll("th").forEach((t) => t.setAttribute("aria-sort", "none"));
  th.setAttribute("aria-sort", next);
  const key = COLUMNS[i][1];
  const sorted = [...rows].sort((a, b) => key(a).localeCompare(key(b)) * (next === "ascending" ? 1 : -1));
  fill(body, sorted.slice(0, SHOWN).map((r) => h("tr", {},
    h("td", {}, link({ entity: r.through }, r.through_label)),
    h("td", {}, link({ entity: r.a }, r.a_label)),
    h("td", {}, link({ entity: r.b }, r.b_label)),
    h("td", {}, certaintyTag(r.certainty)),
    h("td", {}, windowWords(r.window)))));
}

/** The rows as CSV (RFC 4180), names beside ids. */
function csv(rows) {
  const cell = (v) => /[",\n\r]/.test(v ?? "") ? `"${String(v).replace(/"/g, '""')}"` : (v ?? "");
  const header = ["person", "person_id", "organization_a", "organization_a_id", "organization_b", "organization_b_id", "position_a", "position_b", "certainty", "when"];
  const lines = rows.map((r) => [r.through_label, r.through, r.a_label, r.a, r.b_label, r.b, r.position_a, r.position_b, r.certainty, windowWords(r.window)].map(cell).join(","));
  return new Blob([[header.join(","), ...lines].join("\r\n") + "\r\n"], { type: "text/csv" });
}
