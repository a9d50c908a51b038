// How long each view of the page takes to be ready in Chromium, from
// navigation to its content drawn: on the seed, on the Norwegian and Irish
// registers imported, and on a generated world.
// Run by bench/page.py (which starts the servers): node views.mjs SEED_URL REGISTERS_URL WORLD_URL N
import { chromium } from "playwright-core";

const [seedUrl, registersUrl, worldUrl, relationships] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});

const views = ({ hub, other, person, source, at }) => [
  ["home", "/", "ul li a"],
  ["search (type, first answer)", null, null],
  ["entity page", `/?entity=${hub}`, "g.bar, ul.undated li"],
  ["links at a date", `/?view=links&from=${hub}&to=${other}&at=${at}`, "ol.chains > li, .error, main section p"],
  ["network as of a year", `/?view=network&at=${at.slice(0, 4)}`, "#year-shown"],
  ["network around a person", `/?view=network&around=${person}`, "#year-shown"],
  ["timeline of a person", `/?view=timeline&entities=${person}`, "table.rows tbody tr"],
  ["interlocks at a date", `/?view=interlocks&at=${at}`, "table.rows tbody tr, main h2"],
  ["source page", `/?source=${source}`, "table.claims tbody tr, main h2"],
  ["SPARQL (query run)", "/?view=sparql&name=board-interlocks", ".yasr table tbody tr, .yasr .dataTables_empty"],
];

/** What to ask about on a store: two organizations a person linked at a date, and a source of theirs. */
async function subjects(base, at) {
  const [one] = await (await fetch(`${base}/api/interlocks?at=${at}`)).json();
  const page = await (await fetch(`${base}/api/entity?id=${one.a}`)).json();
  const source = page.ties.flatMap((t) => t.evidence.flatMap((e) => e.chain.map((c) => c.id)))[0];
  const typed = one.through_label.split(" ")[0].slice(0, 4);
  return { hub: one.a, other: one.b, person: one.through, source, at, typed };
}

async function measure(base, at) {
  const asked = await subjects(base, at);
  const out = [];
  for (const [name, path, ready] of views(asked)) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      const started = performance.now();
      if (path === null) {
        await page.goto(base + "/");
        const t0 = performance.now();
        await page.locator("#search").fill(asked.typed);
        await page.locator("#search-results li").first().waitFor();
        runs.push(performance.now() - t0);
      } else {
        await page.goto(base + path);
        await page.locator(ready).first().waitFor({ timeout: 600_000 });
        if (name.startsWith("network")) await page.waitForFunction(() => window.interlockNetwork?.nodes().length > 0, null, { timeout: 600_000 });
        runs.push(performance.now() - started);
      }
      await page.close();
    }
    out.push([name, runs]);
  }
  return out;
}

const seed = await measure(seedUrl, "2013-09");
const registers = await measure(registersUrl, "2008-03");
const world = await measure(worldUrl, "2013");
console.log(`\n== page views, ready in Chromium (ms; first run / median of the next two): seed | Norwegian + Irish registers | ${Number(relationships).toLocaleString("en")}-relationship world`);
for (let i = 0; i < seed.length; i++) {
  const show = (runs) => `${runs[0].toFixed(0)} / ${((runs[1] + runs[2]) / 2).toFixed(0)}`;
  console.log(`${seed[i][0].padEnd(30)} ${show(seed[i][1]).padStart(14)} | ${show(registers[i][1]).padStart(16)} | ${show(world[i][1]).padStart(16)}`);
}
await browser.close();
