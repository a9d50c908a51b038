// One source and every claim it supports, a page at a time: "who says
// so" read the other way round. A register is one source of thousands of
// claims, each with its own row.

import { api, h, link, statusTag, kindWords, fill, add } from "./util.js";

/** Renders the page of source `params.source` from claim `params.offset`. */
export async function sourceView(main, params) {
  const offset = Number(params.offset || 0);
  const page = await api("/api/source", { id: params.source, offset: offset || "" });
  const src = page.source;
  document.title = `${src.title} — interlock`;
  const facts = [];
  const fact = (term, ...value) => facts.push(h("dt", {}, term), h("dd", {}, ...value));
  if (src.publisher) fact("published by", src.publisher);
  if (src.published) fact("published", src.published);
  if (src.url) fact("read it", h("a", { href: src.url, rel: "noopener", target: "_blank" }, src.url));
  fact("id", h("code", {}, src.id));
  const last = offset + page.claims.length;
  fill(main,
    h("p", { class: "kind-tag" }, kindWords(src.kind) || "source"),
    h("h1", {}, src.title),
    h("dl", { class: "facts" }, facts),
    h("h2", {}, page.claims_total === 1 ? "1 claim it supports" : `${page.claims_total} claims it supports`),
    page.claims.length ? h("p", { class: "kind-tag" }, `${offset + 1} to ${last}, in the order of their ids.`) : null,
    pager(params, offset, page),
    page.claims.length ? h("table", { class: "rows claims" },
      h("caption", { class: "visually-hidden" }, `Claims ${src.title} supports`),
      h("thead", {}, h("tr", {}, ["Claim", "When", "Status", "What the source says"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, page.claims.map((c) => h("tr", {},
        h("td", {}, sentenceWithLinks(c)),
        h("td", {}, c.when ?? "date unknown"),
        h("td", {}, statusTag(c.status)),
        h("td", {}, c.quote ? h("blockquote", { class: "row" }, c.quote) : "", c.location ? h("span", { class: "kind-tag" }, c.location) : ""))))) :
      h("p", {}, "No claim cites it."),
    pager(params, offset, page));
}

/** The claim's sentence with both parties' names as links to their pages. */
function sentenceWithLinks(c) {
  const { sentence, subject, object } = c;
  const rest = sentence.startsWith(subject.label) ? sentence.slice(subject.label.length) : null;
  const at = rest?.indexOf(object.label) ?? -1;
  if (at < 0) return sentence;
  return [link({ entity: subject.id }, subject.label), rest.slice(0, at),
    link({ entity: object.id }, object.label), rest.slice(at + object.label.length)];
}

/** Links to the previous and next pages of claims, when there are any. */
function pager(params, offset, page) {
  const size = Math.max(page.claims.length, 50);
  const before = offset > 0 ? link({ source: params.source, offset: Math.max(0, offset - size) || "" }, "← Previous") : null;
  const after = offset + page.claims.length < page.claims_total ? link({ source: params.source, offset: offset + size }, "Next →") : null;
  return before || after ? add(h("p", { class: "pager" }), before, before && after ? " · " : "", after) : null;
}
