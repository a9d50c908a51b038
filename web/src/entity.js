// An entity's page: who and what it was tied to, as bars drawn honestly —
// solid where the tie definitely held, faded where it only possibly held,
// open ends fading out — and each tie's evidence down to its sources.

import { api, h, s, link, errorBlock, statusTag, words, kindWords, yearOf, fill, add, fitted } from "./util.js";

const ROW = 40;
const GROUP = 26;
const LEFT = 340;
const WIDTH = 1000;
const RIGHT = 20;

/** Renders the page of entity `id` into `main`. */
export async function entityView(main, params) {
  const page = await api("/api/entity", { id: params.entity, limit: params.limit });
  document.title = `${page.label} — interlock`;
  const dated = page.ties.filter((t) => t.bounds);
  const undated = page.ties.filter((t) => !t.bounds);
  const evidence = h("section", { id: "evidence", "aria-live": "polite", "aria-label": "Evidence" });
  const show = (tie) => showEvidence(evidence, tie, page);
  fill(main, 
    h("p", { class: "kind-tag" }, kindWords(page.kind) || "entity"),
    h("h1", {}, page.label),
    page.description && h("p", { class: "lede" }, page.description),
    facts(page),
    likelyDuplicates(page),
    h("div", { class: "exports" },
      link({ view: "network", around: page.id }, "Network around ", page.label), " · ",
      link({ view: "timeline", entities: page.id }, "Timeline"), " · ",
      link({ view: "links", from: page.id }, "How was ", page.label, " linked to …?")),
    h("h2", {}, "Ties in time"),
    page.ties_total > page.ties.length &&
      h("p", { class: "notice" }, `Showing ${page.ties.length} of ${page.ties_total} relationships. `,
        link({ entity: page.id, limit: Math.min(page.ties.length * 4, 10000) }, "Show more")),
    dated.length ? [legend(), bars(dated, page, show)] : h("p", {}, "No dated relationship."),
    undated.length ? [
      h("h3", {}, "Date unknown"),
      h("p", { class: "lede" }, "Claims with no date: not drawn, since drawing them would say when they held."),
      h("ul", { class: "undated" }, undated.map((t) => h("li", {},
        tieText(t, page), " ",
        h("button", { class: "secondary", type: "button", onclick: () => show(t) }, "Evidence")))),
    ] : null,
    evidence,
    tieTable(page, show),
  );
}

/**
 * The entities `interlock candidates` pairs with this one (scored on names
 * and ties), filled in when the answer comes: the page does not wait for it.
 */
function likelyDuplicates(page) {
  const section = h("section", { class: "duplicates", "aria-label": "Likely duplicates", "aria-live": "polite" });
  api("/api/candidates", { entity: page.id }).then((pairs) => {
    if (!pairs.length) return;
    fill(section, h("h2", {}, "Likely the same as"),
      h("p", { class: "lede" }, "Other entities whose names and ties say they are probably this one; a decision in a timeline file merges them or keeps them apart."),
      h("ul", {}, pairs.map((c) => h("li", {}, link({ entity: c.b }, c.b_label), " ",
        h("span", { class: "kind-tag" }, `score ${c.score.toFixed(2)}: ${c.reason}`)))));
  }).catch(() => {
    // Likely duplicates are a hint: the page stands without them.
  });
  return section;
}

function facts(page) {
  const rows = [];
  const add = (term, ...value) => rows.push(h("dt", {}, term), h("dd", {}, ...value));
  add("id", h("code", {}, page.id));
  const names = Object.entries(page.names).filter(([, n]) => n !== page.label);
  if (names.length) add("also named", names.map(([lang, n]) => `${n}${lang ? ` (${lang})` : ""}`).join(", "));
  if (page.aliases.length) add("aliases", page.aliases.join(", "));
  for (const id of page.identifiers) {
    add(id.scheme, id.url ? h("a", { href: id.url, rel: "noopener", target: "_blank" }, id.value) : id.value);
  }
  if (page.datasets.length) add("from", page.datasets.join(", "));
  // Entities of several datasets shown as one: a shared identifier or a
  // person's decision made them one (a `not_same` decision undoes it).
  if (page.merged_from.length) {
    add("merged from", h("ul", { class: "merged" }, page.merged_from.map((m) =>
      h("li", {}, m.label, " ", h("code", {}, m.id), ` in ${m.datasets.join(", ")}`))));
  }
  return h("dl", { class: "facts" }, rows);
}

function legend() {
  const swatch = (fill, opacity, dash) => s("svg", { width: 34, height: 12, "aria-hidden": "true" },
    s("rect", { x: 1, y: 2, width: 32, height: 8, fill, "fill-opacity": opacity, stroke: dash ? fill : null, "stroke-dasharray": dash }));
  const fade = s("svg", { width: 34, height: 12, "aria-hidden": "true" },
    s("defs", {}, s("linearGradient", { id: "legend-fade" },
      s("stop", { offset: "0", "stop-color": "#1f5fbf", "stop-opacity": ".35" }),
      s("stop", { offset: "1", "stop-color": "#1f5fbf", "stop-opacity": "0" }))),
    s("rect", { x: 1, y: 2, width: 32, height: 8, fill: "url(#legend-fade)" }));
  return h("p", { class: "legend" },
    h("span", {}, swatch("#1f5fbf", 1), "definitely held"),
    h("span", {}, swatch("#1f5fbf", 0.35), "possibly held (the dates are uncertain)"),
    h("span", {}, fade, "open end: no known bound"));
}

/** The span of years to draw: every finite bound, a year of margin. */
function domain(ties) {
  const years = ties.flatMap((t) => Object.values(t.bounds).filter(Boolean).map(yearOf));
  const now = new Date().getFullYear();
  let lo = Math.min(...years), hi = Math.max(...years);
  if (!years.length) [lo, hi] = [now - 10, now];
  lo = Math.floor(lo) - 1;
  hi = Math.ceil(hi) + 1;
  return [lo, Math.max(hi, lo + 4)];
}

function bars(ties, page, show) {
  const [lo, hi] = domain(ties);
  const x = (year) => LEFT + ((year - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const groups = new Map();
  for (const t of ties) {
    const key = t.counterpart.id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(t);
  }
  const height = 28 + groups.size * GROUP + ties.length * ROW + 8;
  const svg = s("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`, role: "group",
    "aria-label": `Timeline of ${page.label}'s ${ties.length} dated relationships, by counterpart, ${lo} to ${hi}`,
  });
  svg.append(gradients());
  svg.append(axis(lo, hi, x, height));
  let y = 28;
  for (const [, group] of groups) {
    const c = group[0].counterpart;
    svg.append(s("a", { href: `/?entity=${encodeURIComponent(c.id)}`, "data-nav": true },
      s("text", { x: 4, y: y + 17, class: "group-label" }, `${c.label}${c.kind ? ` · ${kindWords(c.kind)}` : ""}`)));
    y += GROUP;
    for (const t of group) {
      svg.append(bar(t, x, y, lo, hi, show, page));
      y += ROW;
    }
  }
  return h("figure", { class: "bars" }, svg);
}

function gradients() {
  const grad = (id, from, to) => s("linearGradient", { id },
    s("stop", { offset: "0", "stop-color": "#1f5fbf", "stop-opacity": from }),
    s("stop", { offset: "1", "stop-color": "#1f5fbf", "stop-opacity": to }));
  return s("defs", {}, grad("fade-in", "0", ".35"), grad("fade-out", ".35", "0"));
}

function axis(lo, hi, x, height) {
  const g = s("g", { class: "axis", "aria-hidden": "true" });
  const step = Math.max(1, Math.ceil((hi - lo) / 12));
  for (let year = Math.ceil(lo); year <= hi; year += step) {
    g.append(s("line", { x1: x(year), x2: x(year), y1: 20, y2: height }));
    g.append(s("text", { x: x(year), y: 14, "text-anchor": "middle" }, year));
  }
  return g;
}

/** One tie: its possible span faded (fading out at open ends), its definite span solid. */
function bar(t, x, y, lo, hi, show, page) {
  const b = t.bounds;
  const edgeLeft = x(lo), edgeRight = x(hi);
  const from = b.start_earliest ? x(yearOf(b.start_earliest)) : edgeLeft;
  const to = b.end_latest ? x(yearOf(b.end_latest) + 1 / 365) : edgeRight;
  const sure = b.start_latest && b.end_earliest && b.start_latest <= b.end_earliest
    ? [x(yearOf(b.start_latest)), x(yearOf(b.end_earliest) + 1 / 365)] : null;
  const top = y + 10, hgt = 16;
  const visible = `${words(t.kind)} · ${t.when ?? t.time}`;
  const g = s("g", {
    class: "bar", tabindex: 0, role: "button", "data-tie": t.id,

    onclick: () => show(t),
    onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(t); } },
  });
  const title = t.role || t.label || words(t.kind);
  // Both lines end before the bars begin, however long the role or the time in words.
  g.append(s("text", { x: 14, y: y + 15, class: "bar-label" }, fitted(title, LEFT - 30, 13)));
  g.append(s("text", { x: 14, y: y + 31, class: "bar-meta" }, fitted(visible, LEFT - 30 - 6 * t.status.length, 9.5), " · ",
    s("tspan", { class: `status-text ${t.status}` }, t.status)));
  // The possible span: faded; an open side fades out over the last stretch.
  const openLeft = !b.start_earliest, openRight = !b.end_latest;
  const fadeWidth = Math.min(60, (to - from) / 3);
  const solidFrom = openLeft ? Math.min(from + fadeWidth, sure ? sure[0] : to) : from;
  const solidTo = openRight ? Math.max(to - fadeWidth, sure ? sure[1] : from) : to;
  if (openLeft) g.append(s("rect", { x: from, y: top, width: Math.max(0, solidFrom - from), height: hgt, fill: "url(#fade-in)" }));
  g.append(s("rect", { x: solidFrom, y: top, width: Math.max(1, solidTo - solidFrom), height: hgt, fill: "#1f5fbf", "fill-opacity": ".35", class: "possibly" }));
  if (openRight) g.append(s("rect", { x: solidTo, y: top, width: Math.max(0, to - solidTo), height: hgt, fill: "url(#fade-out)" }));
  if (sure) g.append(s("rect", { x: sure[0], y: top, width: Math.max(2, sure[1] - sure[0]), height: hgt, fill: "#1f5fbf", class: "definitely" }));
  g.append(s("rect", { class: "hit", x: from, y: top - 2, width: Math.max(4, to - from), height: hgt + 4, fill: "transparent" }));
  g.append(s("title", {}, `${tieWords(t, page)} — ${t.status}`));
  // The name starts with the text shown, as read (speech input finds the bar by it).
  const shown = [...g.querySelectorAll("text")].map((el) => el.textContent).join("");
  g.setAttribute("aria-label", `${shown}. ${tieWords(t, page)}. ${sure ? "Definitely held for part of it." : "Only possibly held: no span is certain."} Show evidence.`);
  return g;
}

/** What a tie says, in words: "member of the board of directors of Facebook, 2011 to 2019". */
function tieWords(t, page) {
  const role = t.role || t.label || words(t.kind);
  const other = t.counterpart.label;
  const side = t.subject ? `${role} — ${other}` : `${other} — ${role} — ${page.label}`;
  return `${side}, ${t.when ?? "date unknown"}, ${t.status}`;
}

/** The tie read as it runs, its subject first: "Reed Hastings — board membership (director) → Facebook". */
function tieText(t, page) {
  const other = link({ entity: t.counterpart.id }, t.counterpart.label);
  const [subject, object] = t.subject ? [page.label, other] : [other, page.label];
  const detail = t.label || t.role;
  return [subject, " — ", h("strong", {}, words(t.kind)), detail ? ` (${detail})` : "", " → ", object, " ", statusTag(t.status)];
}

/** Shows the evidence of `tie` in `panel`. */
function showEvidence(panel, tie, page) {
  // The panel is held at the foot of the window (sticky) beside the bar
  // clicked, however far down the page it is written: focus must not
  // scroll the bars away.
  const opener = document.activeElement;
  fill(panel,
    h("button", { type: "button", class: "secondary close", "aria-label": "Close the evidence",
      onclick: () => { panel.replaceChildren(); if (opener?.isConnected) opener.focus({ preventScroll: true }); } }, "×"),
    h("h2", { tabindex: -1 }, "Evidence: ", tie.label || words(tie.kind)),
    h("p", {}, tieText(tie, page), " · ", tie.when ?? "date unknown", tie.time ? [" (", h("code", {}, tie.time), ")"] : ""),
    tie.evidence.length ? tie.evidence.map(evidenceBlock) : h("p", {}, "No quoted evidence."),
  );
  panel.querySelector("h2").focus({ preventScroll: true });
}

/** A quote in its own language, its English gloss, and its chain of sources. */
export function evidenceBlock(e) {
  return h("article", { class: "evidence" },
    h("blockquote", { lang: e.language || null }, e.quote),
    e.gloss && h("p", { class: "gloss" }, h("span", { class: "visually-hidden" }, "English: "), "“", e.gloss, "”"),
    e.location && h("p", { class: "kind-tag" }, e.location),
    h("p", { class: "kind-tag" }, "Sources, as the quote attributes them:"),
    h("ol", { class: "chain", "aria-label": "Chain of sources" }, e.chain.map((src) => h("li", {},
      // The title opens the source's own page (every claim it supports); its address is beside it.
      src.id ? link({ source: src.id }, src.title) : h("span", {}, src.title),
      src.url ? [" ", h("a", { href: src.url, rel: "noopener", target: "_blank", class: "kind-tag" }, "(read it)")] : null,
      src.kind ? h("span", { class: "kind-tag" }, ` (${kindWords(src.kind)}${src.published ? `, ${src.published}` : ""})`) : null))),
  );
}

/** Every tie as a table: the picture's text alternative. */
function tieTable(page, show) {
  return h("details", {},
    h("summary", {}, `All ${page.ties.length} relationships as a table`),
    h("table", { class: "rows" },
      h("thead", {}, h("tr", {}, ["Counterpart", "Kind", "Role or label", "When", "Status", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, page.ties.map((t) => h("tr", {},
        h("td", {}, link({ entity: t.counterpart.id }, t.counterpart.label)),
        h("td", {}, words(t.kind)),
        h("td", {}, t.role || t.label || ""),
        h("td", {}, t.when ?? "date unknown"),
        h("td", {}, statusTag(t.status)),
        h("td", {}, h("button", { class: "secondary", type: "button", onclick: () => show(t) }, "Evidence")))))));
}
