// The timeline of the case: events and the starts and ends of
// relationships in date order, as `interlock timeline` prints them, as a
// picture and as a table. With "when it became public" (`record`), each
// claim also shows the day a source supporting it had surely been
// published (`interlock timeline --record`); "as known by" keeps only the
// claims public by a date.

import { entityField, formData } from "./picker.js";
import { api, h, s, fitted, errorBlock, statusTag, yearOf, fill, add, leftOutNotice, DATE_PATTERN } from "./util.js";

/** Renders the timeline of `params.entities` (all when empty). */
export async function timelineView(main, params, go) {
  const record = params.record === "yes";
  const form = h("form", { class: "ask", "aria-label": "Which timeline" },
    entityField("entities", "Entities (none: everyone)", params.entities ? params.entities.split(",").filter(Boolean) : [], { multiple: true, placeholder: "add a person or company" }),
    h("label", {}, "From", h("input", { name: "from", value: params.from ?? "", placeholder: "2011" })),
    h("label", {}, "To", h("input", { name: "to", value: params.to ?? "", placeholder: "2019" })),
    h("label", {}, "As known by (sources published by)", h("input", { name: "known_by", value: params.known_by ?? "", placeholder: "2015", pattern: DATE_PATTERN })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "record", value: "yes", checked: record }), "When each became public"),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = await formData(form);
    if (data) go({ view: "timeline", ...data });
  });
  fill(main, h("h1", {}, "Timeline"), h("p", { class: "lede" }, "Events and the starts and ends of relationships in date order, each date as stated, with its sources."), form);
  let entries;
  try {
    entries = await api("/api/timeline", { entities: params.entities, from: params.from, to: params.to, known_by: params.known_by });
  } catch (e) {
    add(main, errorBlock(e));
    return;
  }
  add(main,
    params.known_by && h("h2", {}, `${entries.length} entr${entries.length === 1 ? "y" : "ies"} as known by ${params.known_by}`),
    leftOutNotice(entries.undatedLeftOut),
    record && recordNote(entries),
    picture(entries, record), table(entries, record));
}

/** What "when it became public" means, and how many claims no dated source supports. */
function recordNote(entries) {
  const unknown = new Set(entries.filter((e) => !e.public_by).map((e) => e.id)).size;
  return h("p", { class: "notice" },
    "◆ marks when each claim became public: the day by which a source supporting it had surely been published. ",
    unknown ? `${unknown} claim${unknown === 1 ? " has" : "s have"} no source with a publication date.` : "");
}

const WIDTH = 1000, LEFT = 20, TEXT = 470, ROW = 22;

function picture(entries, record) {
  const dated = entries.filter((e) => e.earliest || e.latest);
  if (!dated.length) return h("p", {}, "Nothing dated.");
  const published = record ? dated.filter((e) => e.public_by).map((e) => yearOf(e.public_by)) : [];
  const ys = [...dated.flatMap((e) => [e.earliest, e.latest].filter(Boolean).map(yearOf)), ...published];
  const lo = Math.floor(Math.min(...ys)), hi = Math.ceil(Math.max(...ys)) + 1;
  const x = (year) => LEFT + ((year - lo) / Math.max(1, hi - lo)) * (TEXT - LEFT - 20);
  const height = 24 + dated.length * ROW;
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img",
    "aria-label": `${dated.length} dated entries from ${lo} to ${hi - 1}${record ? ", each with when it became public" : ""}; the table below lists them.` });
  for (let year = lo; year <= hi; year += Math.max(1, Math.ceil((hi - lo) / 10))) {
    svg.append(s("line", { x1: x(year), x2: x(year), y1: 18, y2: height, stroke: "#d5d9e0" }),
      s("text", { x: x(year), y: 12, "text-anchor": "middle", "font-size": 11, fill: "#4f5869" }, year));
  }
  dated.forEach((e, i) => {
    const y = 24 + i * ROW;
    const from = e.earliest ? x(yearOf(e.earliest)) : LEFT;
    const to = e.latest ? x(yearOf(e.latest) + 1 / 365) : TEXT - 20;
    const colour = e.what === "event" ? "#9a4a00" : e.what === "end" ? "#4f5869" : "#1f5fbf";
    svg.append(s("rect", { x: from, y: y + 4, width: Math.max(4, to - from), height: 10, rx: 3, fill: colour, "fill-opacity": e.earliest && e.latest ? 0.85 : 0.4 }),
      s("text", { x: TEXT, y: y + 13, "font-size": 12, fill: "#1d2330" }, s("title", {}, `${e.date} · ${e.sentence || e.label || e.id}`), fitted(`${e.date} · ${e.sentence || e.label || e.id}`, WIDTH - TEXT - 10, 12)));
    if (record && e.public_by) {
      const px = x(yearOf(e.public_by));
      svg.append(s("path", { class: "public-by", d: `M${px},${y + 2} l6,7 l-6,7 l-6,-7 z`, fill: "#1c6b33", stroke: "#fff" },
        s("title", {}, `public by ${e.public_by}`)));
    }
  });
  return h("figure", { class: "bars" }, svg);
}

function table(entries, record) {
  const columns = ["Date", "What happened", "Status", ...(record ? ["Public by"] : []), "Sources"];
  return h("table", { class: "rows" },
    h("caption", { class: "visually-hidden" }, "Timeline entries"),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, entries.map((e) => h("tr", {},
      h("td", {}, e.date),
      h("td", {}, e.sentence || e.label || e.id, e.label && e.sentence !== e.label ? h("span", { class: "kind-tag" }, ` (${e.label})`) : ""),
      h("td", {}, statusTag(e.status)),
      record && h("td", { class: "public-by" }, e.public_by ?? "no dated source"),
      h("td", {}, e.sources.join("; "))))));
}
