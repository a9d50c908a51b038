// How long each view of the page takes to be ready in Chromium, from
// navigation to its content drawn, on the seed and on a generated world.
// Run by bench/page.py (which starts the servers): node views.mjs SEED_URL WORLD_URL N
import { chromium } from "playwright-core";

const [seedUrl, worldUrl, relationships] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});

const views = (hub, other, person) => [
  ["home", "/", "ul li a"],
  ["search (type, first answer)", null, null],
  ["entity page", `/?entity=${hub}`, "g.bar, ul.undated li"],
  ["links at a date", `/?view=links&from=${hub}&to=${other}&at=2013`, "ol.chains > li, .error, main p"],
  ["network as of a year", "/?view=network&at=2013", "#year-shown"],
  ["timeline", `/?view=timeline&entities=${person}`, "table.rows tbody tr"],
  ["SPARQL (query run)", "/?view=sparql&name=board-interlocks", ".yasr table tbody tr, .yasr .dataTables_empty"],
];

async function measure(base, hub, other, person, typed) {
  const out = [];
  for (const [name, path, ready] of views(hub, other, person)) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      const started = performance.now();
      if (path === null) {
        await page.goto(base + "/");
        const t0 = performance.now();
        await page.locator("#search").fill(typed);
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

const seed = await measure(seedUrl, "netflix", "facebook", "reed-hastings", "Hast");
const world = await measure(worldUrl, "company-0", "company-1", "person-0", "comp");
console.log(`\n== page views, ready in Chromium (ms; first run / median of the next two): seed | ${Number(relationships).toLocaleString("en")}-relationship world`);
for (let i = 0; i < seed.length; i++) {
  const show = (runs) => `${runs[0].toFixed(0)} / ${((runs[1] + runs[2]) / 2).toFixed(0)}`;
  console.log(`${seed[i][0].padEnd(30)} ${show(seed[i][1]).padStart(14)} | ${show(world[i][1]).padStart(16)}`);
}
await browser.close();
