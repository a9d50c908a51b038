// "How were A and B linked?": every chain with its joint window and
// certainty (the surest first, as the library orders them), each step
// with its evidence, drawn as a small path diagram.

import { api, h, s, link, errorBlock, statusTag, certaintyTag, words, fill, add, leftOutNotice, windowWords, fitted, DATE_PATTERN } from "./util.js";
import { evidenceBlock } from "./entity.js";
import { entityField, formData } from "./picker.js";

/** Renders the links form and, when both entities are given, the chains. */
export async function linksView(main, params, go) {
  const form = askForm(params, go);
  fill(main, 
    h("h1", {}, "How were they linked?"),
    h("p", { class: "lede" }, "Every chain of relationships between two entities, with the window in which the whole chain held: definitely (whatever the uncertain dates really were) or only possibly."),
    form,
  );
  if (!params.from || !params.to) return;
  const results = h("section", { "aria-live": "polite", "aria-label": "Chains" }, h("p", { class: "loading", role: "status" }, "Looking for chains…"));
  add(main, results);
  try {
    const chains = await api("/api/links", {
      from: params.from, to: params.to, at: params.at, during: params.during, max_hops: params.max_hops,
      known_by: params.known_by,
    });
    const when = (params.at ? ` at ${params.at}` : params.during ? ` during ${params.during}` : "") +
      (params.known_by ? `, as known by ${params.known_by}` : "");
    fill(results, 
      h("h2", {}, `${chains.length} chain${chains.length === 1 ? "" : "s"}${when}`),
      leftOutNotice(chains.undatedLeftOut),
      chains.length ? h("ol", { class: "chains" }, chains.map((c, i) => chainItem(c, i))) :
        h("p", {}, "No chain of relationships links them", when, " within ", params.max_hops || 3, " steps."),
    );
  } catch (e) {
    fill(results, errorBlock(e));
  }
}

function askForm(params, go) {
  const field = (name, label, value, attrs = {}) => h("label", {}, label,
    h("input", { name, value: value ?? "", ...attrs }));
  const form = h("form", { class: "ask", "aria-label": "Which two entities" },
    entityField("from", "From", params.from ? [params.from] : [], { required: true, placeholder: "a person or company" }),
    entityField("to", "To", params.to ? [params.to] : [], { required: true, placeholder: "a person or company" }),
    field("at", "At a date (optional)", params.at, { placeholder: "2013-09", pattern: DATE_PATTERN }),
    field("during", "Or during a window", params.during, { placeholder: "2011/2013" }),
    field("known_by", "As known by (sources published by)", params.known_by, { placeholder: "2015", pattern: DATE_PATTERN }),
    field("max_hops", "At most steps", params.max_hops ?? "3", { type: "number", min: 1, max: 6 }),
    h("button", { type: "submit" }, "Find chains"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = await formData(form);
    if (data) go({ view: "links", ...data, max_hops: data.max_hops === "3" ? "" : data.max_hops });
  });
  return form;
}

function chainItem(c, i) {
  return h("li", { "data-certainty": c.certainty },
    h("p", {}, h("strong", {}, `Chain ${i + 1}: `), certaintyTag(c.certainty), ` · ${c.steps.length} step${c.steps.length === 1 ? "" : "s"} · `,
      h("span", { class: "kind-tag" }, windowWords(c.window))),
    diagram(c),
    h("p", { class: "path" }, c.path.map((id, i) => [i ? " → " : "", link({ entity: id }, c.labels[i])])),
    c.steps.map((st, k) => {
      // Each step read as its relationship runs, its subject first.
      const [subject, object] = st.forward ? [c.labels[k], c.labels[k + 1]] : [c.labels[k + 1], c.labels[k]];
      const detail = st.label || st.role;
      const more = h("details", {},
        h("summary", {}, `${subject} — ${words(st.kind)}${detail ? ` (${detail})` : ""} → ${object} `,
          statusTag(st.status), st.when ? ` · ${st.when}` : " · date unknown"),
        st.evidence.length ? st.evidence.map((e) => evidenceBlock({
          quote: e.quote, language: null, gloss: null, location: null,
          chain: [{ title: e.source }, ...(e.attributed_to ? [{ title: e.attributed_to }] : [])],
        })) : h("p", {}, "No quoted evidence."));
      more.addEventListener("toggle", () => fullEvidence(more, st), { once: true });
      return more;
    }));
}

/** Once a step is opened, its evidence as the entity page has it: each quote's language, gloss and whole chain of sources. */
async function fullEvidence(details, st) {
  try {
    const page = await api("/api/entity", { id: st.forward ? st.from : st.to, limit: 10000 });
    const tie = page.ties.find((t) => t.id === st.id);
    if (!tie?.evidence.length) return;
    details.querySelectorAll("article.evidence, p").forEach((el) => el.remove());
    details.append(...tie.evidence.map(evidenceBlock));
  } catch {
    // The short evidence stays: it is what the chain was found with.
  }
}

/** The chain as boxes and arrows: each arrow points as the relationship runs. */
function diagram(c) {
  const box = 150, gap = 170, y = 40;
  const width = c.path.length * box + (c.path.length - 1) * gap;
  const svg = s("svg", { viewBox: `0 0 ${width} 80`, width: Math.min(width, 1100), role: "img",
    "aria-label": c.labels.map((l, i) => i < c.steps.length ? `${l} —${words(c.steps[i].kind)}→` : l).join(" ") });
  svg.append(s("defs", {}, s("marker", { id: `arrow-${c.path.join("-")}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#4f5869" }))));
  const marker = `url(#arrow-${c.path.join("-")})`;
  c.path.forEach((id, i) => {
    const x = i * (box + gap);
    svg.append(s("g", {},
      s("rect", { x, y: y - 18, width: box, height: 36, rx: 8, fill: "#eef3fb", stroke: "#1f5fbf" }),
      s("text", { x: x + box / 2, y: y + 5, "text-anchor": "middle", "font-size": 13, fill: "#1d2330" },
        s("title", {}, c.labels[i]), fitted(c.labels[i], box - 14, 13))));
    if (i < c.steps.length) {
      const st = c.steps[i];
      const x1 = x + box + 4, x2 = x + box + gap - 4;
      svg.append(s("line", { x1, x2, y1: y, y2: y, stroke: "#4f5869", "stroke-width": 2,
        "marker-end": st.forward ? marker : null, "marker-start": st.forward ? null : marker }));
      svg.append(s("text", { x: (x1 + x2) / 2, y: y - 8, "text-anchor": "middle", "font-size": 11, fill: "#4f5869" }, words(st.kind).slice(0, 28)));
    }
  });
  return svg;
}
