// Entities are picked by name, never typed as ids: the search box and every
// entity field of a form (links, network, timeline) are one combobox over
// /api/search, as WAI-ARIA's combobox pattern describes it.

import { api, h, kindWords, fill } from "./util.js";

let lists = 0;

/**
 * Makes `input` a combobox whose suggestions (`list`, a `ul`) are the
 * entities /api/search finds as you type; arrow keys move, Enter or a
 * click picks, Escape closes. `onPick(entity)` gets `{id, label, kind}`.
 */
export function suggest(input, list, onPick) {
  const prefix = `${list.id || "found"}-`;
  let found = [], active = -1, asked = 0;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; };
  const choose = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", `${prefix}${i}`);
  };
  const pick = (entity) => { close(); onPick(entity); };
  input.addEventListener("input", async () => {
    const q = input.value.trim();
    const ticket = ++asked;
    if (!q) return close();
    let answer;
    try {
      answer = await api("/api/search", { q, limit: 10 });
    } catch (e) {
      answer = [];
      fill(list, h("li", { role: "option", "aria-disabled": "true" }, e.message));
    }
    if (ticket !== asked) return;
    found = answer;
    if (found.length || !list.children.length) {
      fill(list, ...found.map((f, i) => h("li", { id: `${prefix}${i}`, role: "option", "aria-selected": "false", onmousedown: (e) => { e.preventDefault(); pick(f); } },
        h("span", {}, f.label, f.matched ? h("span", { class: "kind" }, ` (${f.matched})`) : ""), h("span", { class: "kind" }, kindWords(f.kind)))));
    }
    if (!found.length) fill(list, h("li", { role: "option", "aria-disabled": "true" }, `Nothing found for “${q}”`));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    choose(found.length ? 0 : -1);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && found.length) { e.preventDefault(); choose((active + 1) % found.length); }
    else if (e.key === "ArrowUp" && found.length) { e.preventDefault(); choose((active - 1 + found.length) % found.length); }
    else if (e.key === "Enter" && !list.hidden && active >= 0 && found[active]) { e.preventDefault(); pick(found[active]); }
    else if (e.key === "Escape") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

/** The entity whose id is `id`, as the search box knows it (its label and kind); `null` when none. */
async function known(id) {
  const answer = await api("/api/search", { q: id, limit: 20 }).catch(() => []);
  return answer.find((f) => f.id === id) ?? null;
}

/**
 * A form field that picks entities by name: `name` is submitted as their
 * ids (comma-separated when `multiple`). Typed text that was not picked is
 * resolved on submit by `resolve()`: the one entity of that name, or an
 * error that asks to pick.
 */
export function entityField(name, label, ids, { multiple = false, required = false, placeholder = "" } = {}) {
  const list = h("ul", { id: `pick-${name}-${++lists}`, role: "listbox", class: "suggestions", "aria-label": `${label}: entities found`, hidden: true });
  const input = h("input", { type: "text", "data-picker": name, placeholder, required: required && !ids.length });
  const hidden = h("input", { type: "hidden", name });
  const chosen = h("ul", { class: "chosen", "aria-label": `${label}: chosen` });
  const problem = h("span", { class: "field-error", role: "alert" });
  const picked = [];
  const show = () => {
    hidden.value = picked.map((e) => e.id).join(",");
    if (multiple) {
      fill(chosen, picked.map((e, i) => h("li", {}, e.label,
        h("button", { type: "button", class: "remove", "aria-label": `Remove ${e.label}`, onclick: () => { picked.splice(i, 1); show(); input.focus(); } }, "×"))));
      input.required = required && !picked.length;
    }
  };
  const take = (entity) => {
    problem.textContent = "";
    if (multiple) {
      if (!picked.some((e) => e.id === entity.id)) picked.push(entity);
      input.value = "";
    } else {
      picked.splice(0, picked.length, entity);
      input.value = entity.label;
    }
    show();
  };
  suggest(input, list, take);
  input.addEventListener("input", () => {
    problem.textContent = "";
    if (!multiple) { picked.length = 0; show(); }
  });
  // Ids from the URL are shown by name once the search box has them.
  for (const id of ids) {
    const entity = { id, label: id, kind: "" };
    picked.push(entity);
    if (!multiple) input.value = id;
    known(id).then((found) => {
      if (!found) return;
      entity.label = found.label;
      if (!multiple && picked[0] === entity && input.value === id) input.value = found.label;
      show();
    });
  }
  show();
  const field = h("div", { class: "picker" },
    h("label", {}, label, input), list, multiple ? chosen : null, hidden, problem);
  /** The ids to submit: what was picked, or the one entity the typed text names. */
  field.resolve = async () => {
    const text = input.value.trim();
    if (!text || (!multiple && picked.length)) return hidden.value;
    const answer = await api("/api/search", { q: text, limit: 5 }).catch(() => []);
    const same = answer.filter((f) => f.label.toLowerCase() === text.toLowerCase() || f.id === text);
    const one = same.length === 1 ? same[0] : answer.length === 1 ? answer[0] : null;
    if (!one) {
      problem.textContent = answer.length ? `Several entities match “${text}”: pick one from the list.` : `No entity matches “${text}”.`;
      input.focus();
      throw new Error(problem.textContent);
    }
    take(one);
    return hidden.value;
  };
  return field;
}

/** Resolves every picker of `form` and returns its data, or `null` when one could not be resolved (its field says why). */
export async function formData(form) {
  try {
    for (const field of form.querySelectorAll(".picker")) await field.resolve();
  } catch {
    return null;
  }
  return Object.fromEntries(new FormData(form));
}
