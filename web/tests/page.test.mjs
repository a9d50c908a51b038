// The investigator's page in a real browser: Debian's Chromium driven by
// playwright-core, against a real `interlock serve` on 127.0.0.1 with the
// shipped data loaded (and, for the last test, the Norwegian board seats
// imported), on the embedded store or (INTERLOCK_PAGE_STORE) on Oxigraph's
// server or Virtuoso as a remote store. Screenshots of each view go to
// web/test-results/.

import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createServer, connect } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { chromium } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
const BIN = process.env.INTERLOCK_BIN ?? join(TARGET, "release", "interlock");
const SHARED = process.env.INTERLOCK_SHARED ?? join(ROOT, "..", "shared");
const PYTHON = process.env.INTERLOCK_PYTHON ?? join(ROOT, ".venv", "bin", "python");
const OXIGRAPH = process.env.INTERLOCK_OXIGRAPH ?? join(ROOT, ".venv", "bin", "oxigraph");
const STORE_KIND = process.env.INTERLOCK_PAGE_STORE ?? "embedded";
const ARTIFACTS = join(ROOT, "web", "test-results", STORE_KIND === "embedded" ? "" : STORE_KIND);
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A free port on 127.0.0.1. */
async function freePort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, "127.0.0.1", ok));
  const { port } = probe.address();
  await new Promise((ok) => probe.close(ok));
  return port;
}

/** Resolves once something answers on 127.0.0.1:port. */
async function answering(port) {
  for (let i = 0; i < 300; i++) {
    const up = await new Promise((ok) => {
      const socket = connect(port, "127.0.0.1", () => { socket.end(); ok(true); });
      socket.once("error", () => ok(false));
    });
    if (up) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`nothing answers on port ${port}`);
}

/**
 * The store the page's server runs on, in a folder of its own: the embedded
 * store, or, with INTERLOCK_PAGE_STORE=oxigraph or virtuoso, a remote store
 * started here (Oxigraph's server from the test venv; Virtuoso by
 * scripts/virtuoso). Resolves to the options that name it and a stop().
 */
async function store(folder) {
  const kind = STORE_KIND;
  if (kind === "embedded") return { args: ["--store", folder], stop: async () => {} };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let proc, args;
  if (kind === "oxigraph") {
    proc = spawn(OXIGRAPH, ["serve", "--location", folder, "--bind", `127.0.0.1:${port}`], { stdio: "ignore" });
    await answering(port);
    args = ["--store", `${base}/query`, "--update-url", `${base}/update`, "--graph-store-url", `${base}/store`];
  } else if (kind === "virtuoso") {
    proc = spawn(join(ROOT, "scripts", "virtuoso"), [folder, String(port), String(await freePort())], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise((ok, fail) => {
      createInterface({ input: proc.stdout }).once("line", (l) => (l === "ready" ? ok() : fail(new Error(l))));
      proc.once("exit", (code) => fail(new Error(`scripts/virtuoso exited with ${code}`)));
    });
    args = ["--store", `${base}/sparql`, "--graph-store-url", `${base}/sparql-graph-crud`];
  } else {
    throw new Error(`INTERLOCK_PAGE_STORE=${kind}: embedded, oxigraph or virtuoso`);
  }
  const exited = new Promise((ok) => proc.once("exit", ok));
  return { args, stop: async () => { proc.kill("SIGTERM"); await exited; } };
}

/** A real `interlock serve` on a store of its own, with extra `serve` options; resolves to its URL. */
async function serve(prepare = [], options = []) {
  const folder = mkdtempSync(join(tmpdir(), "interlock-page-"));
  const where = await store(folder);
  for (const args of prepare) execFileSync(BIN, [...where.args, ...args], { cwd: ROOT, stdio: "pipe" });
  const proc = spawn(BIN, [...where.args, "serve", "--bind", "127.0.0.1:0", ...options], {
    cwd: ROOT, env: { ...process.env, INTERLOCK_LOG: "warn" }, stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((ok, fail) => {
    createInterface({ input: proc.stdout }).once("line", ok);
    proc.once("exit", (code) => fail(new Error(`interlock serve exited with ${code}`)));
  });
  const url = line.split(/\s+/).find((w) => w.startsWith("http://")).replace(/\/sparql$/, "").replace(/\/$/, "");
  // Stopping waits for the server to exit: it still writes its store while it closes.
  const exited = new Promise((ok) => proc.once("exit", ok));
  const stop = async () => {
    proc.kill("SIGTERM");
    await exited;
    await where.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  return { url, stop };
}

let server, browser;

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: build interlock first`);
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve();
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh page (its own context: no state shared between tests). */
/** The browser contexts a test opened, closed after it: a renderer each, which add up over the suite. */
const contexts = [];

async function open(path, base = server.url) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  // A remote store answers the page's first questions more slowly.
  context.setDefaultTimeout(STORE_KIND === "embedded" ? 30_000 : 90_000);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(base + path);
  page.problems = problems;
  return page;
}

async function shot(page, name) {
  // The whole page, but not a table of thousands of rows (a 40,000-pixel bitmap).
  const tall = await page.evaluate(() => document.documentElement.scrollHeight > 8000);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: !tall });
}

/** axe-core's serious and critical violations on the page as it is. */
async function accessibilityProblems(page) {
  await page.addScriptTag({ path: join(ROOT, "web", "node_modules", "axe-core", "axe.min.js") });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("typing Hast offers Reed Hastings; his page draws his two ties with their open ends", async () => {
  const page = await open("/");
  await page.getByRole("combobox", { name: "Find an entity" }).fill("Hast");
  const option = page.getByRole("option", { name: /Reed Hastings/ });
  await option.waitFor();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Reed Hastings" }).waitFor();
  assert.match(page.url(), /\?entity=reed-hastings$/);
  const bars = page.locator("g.bar");
  assert.equal(await bars.count(), 2);
  const board = page.locator('g.bar[data-tie="hastings-facebook-board"]');
  const ceo = page.locator('g.bar[data-tie="hastings-netflix-ceo"]');
  assert.match(await board.locator("text.bar-meta").textContent(), /board membership · 2011 to 2019 · reported/);
  assert.match(await ceo.locator("text.bar-meta").textContent(), /executive role · at least 2011 to 2019 · reported/);
  assert.equal(await ceo.locator("text.bar-label").textContent(), "CEO");
  // The board seat's ends are known to the year: faded a year each, no fade-out.
  assert.equal(await board.locator('rect[fill^="url(#fade"]').count(), 0);
  assert.equal(await board.locator("rect.definitely").count(), 1);
  // The CEO's ends are open: fading in and out, solid only from 2011 to 2019.
  assert.equal(await ceo.locator('rect[fill="url(#fade-in)"]').count(), 1);
  assert.equal(await ceo.locator('rect[fill="url(#fade-out)"]').count(), 1);
  const solid = await ceo.locator("rect.definitely").boundingBox();
  const all = await ceo.locator("rect.hit").boundingBox();
  assert.ok(solid.x > all.x + 10 && solid.x + solid.width < all.x + all.width - 10, "the open ends are not drawn solid");
  await shot(page, "entity-reed-hastings");
  assert.deepEqual(await accessibilityProblems(page), []);
  assert.deepEqual(page.problems, []);
});

test("the Titan API bar opens its evidence: the Italian quote, its gloss, court documents", async () => {
  const page = await open("/?entity=netflix");
  const titan = page.locator('g.bar[data-tie="titan-api-access"]');
  await titan.waitFor();
  await titan.focus();
  await page.keyboard.press("Enter");
  const evidence = page.locator("#evidence");
  await evidence.locator("blockquote").first().waitFor();
  assert.equal(await evidence.locator("blockquote").first().getAttribute("lang"), "it");
  assert.match(await evidence.locator("blockquote").first().textContent(), /Titan/);
  assert.match(await evidence.locator(".gloss").first().textContent(), /Titan/);
  const chain = await evidence.locator(".chain").first().locator("li").allTextContents();
  assert.ok(chain.some((s) => s.includes("Court documents")), chain.join(" → "));
  // Undated claims are listed apart, never drawn.
  const undated = await page.locator("ul.undated li").allTextContents();
  assert.ok(undated.some((s) => /exchanged users' private information/.test(s)), undated.join("\n"));
  assert.equal(await page.locator('g.bar[data-tie="netflix-facebook-private-data-exchange"]').count(), 0);
  // Identifiers link out.
  assert.equal(await page.locator('a[href="https://www.wikidata.org/wiki/Q907311"]').count(), 1);
  await evidence.scrollIntoViewIfNeeded();
  await shot(page, "entity-netflix-titan-evidence");
  assert.deepEqual(await accessibilityProblems(page), []);
});

test("Netflix → Facebook at 2013-09 lists the Hastings chain as definitely, above the possible ones", async () => {
  const page = await open("/?view=links");
  // Entities are picked by name: one with the mouse, one with the keyboard.
  await page.getByRole("combobox", { name: "From" }).fill("netfl");
  await page.getByRole("option", { name: /^Netflix company$/ }).click();
  assert.equal(await page.getByRole("combobox", { name: "From" }).inputValue(), "Netflix");
  await page.getByRole("combobox", { name: "To" }).pressSequentially("faceb");
  await page.getByRole("option", { name: /^Facebook company$/ }).waitFor();
  await page.getByRole("combobox", { name: "To" }).press("Enter");
  assert.equal(await page.getByRole("combobox", { name: "To" }).inputValue(), "Facebook");
  await page.getByLabel("At a date (optional)").fill("2013-09");
  await page.getByRole("button", { name: "Find chains" }).click();
  await page.locator("ol.chains > li").first().waitFor();
  assert.match(page.url(), /view=links&from=netflix&to=facebook&at=2013-09/);
  const certainties = await page.locator("ol.chains > li").evaluateAll((li) => li.map((l) => l.dataset.certainty));
  assert.equal(certainties[0], "definitely");
  assert.ok(certainties.slice(1).length >= 1 && certainties.slice(1).every((c) => c === "possibly"), certainties.join());
  const first = page.locator("ol.chains > li").first();
  assert.match(await first.locator("svg").getAttribute("aria-label"), /Netflix .*Reed Hastings .*Facebook/);
  // Each step's time in words, as the entity page says it, not in EDTF.
  const steps = (await first.locator("details summary").allTextContents()).join(" | ");
  assert.match(steps, /2011/);
  assert.doesNotMatch(steps, /\[\.\.|\.\.\]|\/\.\./);
  // A step opened shows its evidence whole: the gloss and every source of its chain, to the court documents.
  const exchange = page.locator("ol.chains > li details").filter({ hasText: "exchanged users' private information" }).first();
  await exchange.locator("summary").click();
  await exchange.locator(".gloss").first().waitFor();
  assert.deepEqual(await exchange.locator("ol.chain").first().locator("li").evaluateAll((li) => li.map((l) => l.firstChild.textContent)),
    ["Netflix ha pagato 100 milioni di dollari per accedere ai messaggi privati di Facebook", "Document shared by a user on X", "Court documents"]);
  assert.doesNotMatch(await page.locator("ol.chains").textContent(), /read backwards|is the object/);
  await shot(page, "links-netflix-facebook-2013-09");
  assert.deepEqual(await accessibilityProblems(page), []);
});

test("a name typed in full and never picked is resolved; a name that matches nothing is said beside its field", async () => {
  const page = await open("/?view=links&from=netflix&to=facebook");
  // Ids in the URL are shown by name.
  await page.waitForFunction(() => document.querySelector('[data-picker="from"]').value === "Netflix");
  // Typed, never picked: the suggestions that come as one types are closed
  // (Escape), and the form is sent as it is.
  const typeAndSend = async (name, suggested) => {
    const field = page.getByRole("combobox", { name: "From" });
    await field.fill(name);
    await page.getByRole("option", { name: suggested }).first().waitFor();
    await field.press("Escape");
    await page.getByRole("listbox", { name: "From: entities found" }).waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Find chains" }).click();
  };
  await typeAndSend("Reed Hastings", /^Reed Hastings/);
  await page.waitForURL(/from=reed-hastings&to=facebook/);
  await typeAndSend("Nobody Atall", "Nothing found for “Nobody Atall”");
  await page.getByText("No entity matches “Nobody Atall”.").waitFor();
  assert.match(page.url(), /from=reed-hastings/);
  const timeline = await open("/?view=timeline&entities=reed-hastings,netflix");
  const chosen = timeline.getByRole("list", { name: "Entities (none: everyone): chosen" });
  await chosen.getByText("Reed Hastings").waitFor();
  assert.deepEqual(await chosen.locator("li").evaluateAll((li) => li.map((l) => l.firstChild.textContent)), ["Reed Hastings", "Netflix"]);
  await timeline.getByRole("button", { name: "Remove Netflix" }).click();
  await timeline.getByRole("button", { name: "Show" }).click();
  await timeline.waitForURL(/entities=reed-hastings(&|$)/);
  assert.deepEqual([...page.problems, ...timeline.problems], []);
  assert.deepEqual(await accessibilityProblems(timeline), []);
});

test("the slider: at 2021 no board tie, at 2015 there is one", async () => {
  const page = await open("/?view=network&at=2021");
  const edges = () => page.evaluate(() => window.interlockNetwork.edges().map((e) => e.id()));
  await page.waitForFunction(() => window.interlockNetwork?.edges().length > 0);
  assert.ok(!(await edges()).includes("e:hastings-facebook-board"));
  await page.locator("#year").fill("2015");
  await page.waitForURL(/at=2015/);
  await page.waitForFunction(() => window.interlockNetwork?.edges().some((e) => e.id() === "e:hastings-facebook-board"));
  const board = await page.evaluate(() => window.interlockNetwork.$id("e:hastings-facebook-board").data("certainty"));
  assert.equal(board, "definitely");
  // The keyboard stays on the slider from year to year: each year's view
  // is drawn anew, and its new slider has the keyboard once it is.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "year");
  for (const year of ["2014", "2013"]) {
    await page.evaluate(() => { window.previousSlider = document.getElementById("year"); });
    await page.keyboard.press("ArrowLeft");
    await page.waitForURL(new RegExp(`at=${year}`));
    await page.waitForFunction((y) => {
      const slider = document.getElementById("year");
      return slider && slider !== window.previousSlider && slider.value === y && document.activeElement === slider;
    }, year);
  }
  await page.goto(page.url().replace("at=2013", "at=2015"));
  await page.waitForFunction(() => window.interlockNetwork?.edges().length > 0);
  await shot(page, "network-2015");
  assert.deepEqual(await accessibilityProblems(page), []);
});

test("each export button downloads a file the existing readers open", async () => {
  const page = await open("/?view=network&at=2015");
  await page.waitForFunction(() => window.interlockNetwork?.edges().length > 0);
  const saved = {};
  for (const what of ["gexf", "graphml", "cytoscape", "dot", "csv", "svg", "png"]) {
    const control = ["svg", "png"].includes(what) ? `[data-picture="${what}"]` : `[data-export="${what}"]`;
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(control).click()]);
    const path = join(ARTIFACTS, `export-2015.${what}`);
    await download.saveAs(path);
    saved[what] = path;
  }
  const read = `
import csv, json, sys, networkx as nx
paths = json.loads(sys.argv[1])
g = nx.read_gexf(paths["gexf"]); assert g.number_of_edges() > 0, "gexf"
g = nx.read_graphml(paths["graphml"]); assert g.number_of_edges() > 0, "graphml"
g = nx.cytoscape_graph(json.load(open(paths["cytoscape"]))); assert g.number_of_edges() > 0, "cytoscape"
rows = list(csv.DictReader(open(paths["csv"]))); assert rows, "csv"
print(g.number_of_nodes())`;
  const nodes = execFileSync(PYTHON, ["-c", read, JSON.stringify(saved)], { encoding: "utf8" });
  // What is downloaded is what is drawn.
  assert.equal(Number(nodes), await page.evaluate(() => window.interlockNetwork.nodes().length));
  execFileSync("dot", ["-Tsvg", "-o", "/dev/null", saved.dot]);
  execFileSync("xmllint", ["--noout", saved.svg]);
  assert.deepEqual([...readFileSync(saved.png).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test("the board-interlocks query runs in the editor and shows one row with Reed Hastings", async () => {
  const page = await open("/sparql");
  const button = page.locator('[data-query="board-interlocks"]');
  await button.waitFor();
  await button.click();
  const rows = page.locator(".yasr table tbody tr");
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /Reed Hastings/);
  await page.waitForURL(/view=sparql&query=/);
  await shot(page, "sparql-board-interlocks");
  assert.deepEqual(await accessibilityProblems(page), []);
});

test("the interlocks-at-a-date query works on any data, and a person's IRI in its results opens the person's page", async () => {
  const shipped = readFileSync(join(ROOT, "queries", "interlocks-at-a-date.rq"), "utf8").replaceAll("2008-03-15", "2015-06-15");
  const page = await open(`/?view=sparql&query=${encodeURIComponent(shipped)}`);
  const rows = page.locator(".yasr table tbody tr");
  await rows.first().waitFor();
  assert.match(await rows.first().textContent(), /Reed Hastings/);
  const person = page.locator('.yasr a[href="/?entity=reed-hastings"]').first();
  await person.waitFor();
  // YASR lays a cell's tooltip over its link: the keyboard follows it as a reader would.
  await person.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\?entity=reed-hastings$/);
  await page.getByRole("heading", { level: 1, name: "Reed Hastings" }).waitFor();
  assert.deepEqual(page.problems, []);
});

test("a shared URL reopens the same view", async () => {
  const views = {
    "/?view=links&from=netflix&to=facebook&at=2013-09": async (p) => {
      await p.locator("ol.chains > li").first().waitFor();
      assert.equal(await p.getByLabel("At a date (optional)").inputValue(), "2013-09");
    },
    "/?entity=reed-hastings": (p) => p.getByRole("heading", { level: 1, name: "Reed Hastings" }).waitFor(),
    "/?view=network&at=2015&around=netflix": async (p) => {
      await p.waitForFunction(() => window.interlockNetwork?.nodes().length > 0);
      assert.equal(await p.locator("#year").inputValue(), "2015");
      assert.equal(await p.evaluate(() => window.interlockNetwork.nodes()[0].id()), "netflix");
    },
    "/?view=timeline&entities=reed-hastings": async (p) => {
      await p.locator("table.rows tbody tr").first().waitFor();
      const rows = await p.locator("table.rows tbody tr").allTextContents();
      assert.ok(rows.every((r) => /Hastings|CEO|board/i.test(r)), rows.join("\n"));
    },
    [`/?view=sparql&query=${encodeURIComponent("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")}`]: async (p) => {
      await p.locator(".yasr table tbody tr").first().waitFor();
      assert.match(await p.locator(".yasr table thead").textContent(), /n/);
    },
  };
  for (const [path, check] of Object.entries(views)) {
    const page = await open(path);
    await check(page);
    const name = new URLSearchParams(path.slice(2)).get("view") ?? "entity";
    await shot(page, `shared-${name}`);
    if (name === "timeline") assert.deepEqual(await accessibilityProblems(page), []);
    await page.context().close();
  }
});

test("errors show the API's message, never a blank view", async () => {
  const page = await open("/?entity=nobody");
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /no entity 'nobody' in the store/);
  const bad = await open("/?view=links&from=netflix&to=facebook&at=2013-13");
  await bad.getByRole("alert").waitFor();
  assert.match(await bad.getByRole("alert").textContent(), /at: '2013-13' is not a date/);
  await shot(bad, "error-bad-date");
  const query = await open(`/?view=network&around=nobody`);
  await query.getByRole("alert").waitFor();
  assert.match(await query.getByRole("alert").textContent(), /no entity 'nobody'/);
  const timeline = await open(`/?view=timeline&entities=nobody`);
  await timeline.getByRole("alert").waitFor();
  assert.match(await timeline.getByRole("alert").textContent(), /no entity 'nobody'/);
  const nowhere = await open("/no/such/page");
  await nowhere.getByRole("heading", { level: 1, name: "Nothing here" }).waitFor();
  await shot(nowhere, "not-found");
  assert.match(await nowhere.locator("main").textContent(), /There is no page at \/no\/such\/page\./);
  await nowhere.getByRole("link", { name: "Start from the beginning" }).click();
  await nowhere.getByRole("heading", { level: 1, name: /Who linked which companies/ }).waitFor();
});

test("on the Norwegian board seats: a director's seats as bars, two companies' shared directors at 2008-03", async () => {
  const csv = join(SHARED, "external", "data", "norway_boards", "board_seats.csv");
  const norway = await serve([["import", "csv", csv, "--mapping", "data/mappings/norway_boards.toml"]]);
  try {
    // A real interlock of March 2008, found by the API: a director and two companies.
    const interlocks = await (await fetch(`${norway.url}/api/interlocks?at=2008-03`)).json();
    assert.ok(interlocks.length > 0);
    const one = interlocks[0];
    const name = one.through_label;
    const [first, last] = [name.split(" ")[0], name.split(" ").at(-1)];
    const page = await open("/", norway.url);
    await page.getByRole("combobox", { name: "Find an entity" }).fill(`${first.slice(0, 4)} ${last}`);
    await page.getByRole("option", { name: new RegExp(name) }).first().click();
    await page.waitForURL(new RegExp(`entity=${one.through}$`));
    await page.locator("g.bar").first().waitFor();
    assert.ok((await page.locator("g.bar").count()) >= 2);
    await shot(page, "norway-director");
    // A company with many seats: the evidence of its first bar opens where
    // the bar is, not pages below it.
    const company = await open(`/?entity=${one.a}`, norway.url);
    const firstBar = company.locator("g.bar").first();
    await firstBar.waitFor();
    await firstBar.locator("rect.hit").click();
    await company.locator("#evidence blockquote").first().waitFor();
    const viewport = company.viewportSize();
    const [panelBox, barBox] = [await company.locator("#evidence").boundingBox(), await firstBar.boundingBox()];
    assert.ok(panelBox.y < viewport.height && panelBox.y + 40 > 0, `evidence at ${panelBox.y} in a ${viewport.height} px window`);
    assert.ok(barBox.y >= 0 && barBox.y < viewport.height, `the bar clicked still shows (${barBox.y})`);
    await shot(company, "norway-company-evidence");
    await company.getByRole("button", { name: "Close the evidence" }).click();
    assert.equal(await company.locator("#evidence blockquote").count(), 0);
    // The register's own page: every seat it supports, each with its row
    // as the file has it, at its line.
    await company.locator("g.bar").first().locator("rect.hit").click();
    await company.locator("#evidence ol.chain a[data-nav]").first().click();
    await company.waitForURL(/\?source=/);
    await company.locator("table.claims tbody tr").first().waitFor();
    const fileLines = readFileSync(csv, "utf8").split(/\r?\n/);
    const rows = fileLines.filter((l) => l.trim()).length - 1;
    const sourceId = new URL(company.url()).searchParams.get("source");
    const { claims_total: total } = await (await fetch(`${norway.url}/api/source?id=${sourceId}&limit=1`)).json();
    // A seat given by two rows is one claim: never more claims than rows, and nearly as many.
    assert.ok(total <= rows && total > rows * 0.9, `${total} claims from ${rows} rows`);
    assert.match(await company.locator("h2").first().textContent(), new RegExp(`^${total} claims it supports$`));
    const cells = await company.locator("table.claims tbody tr").evaluateAll((trs) => trs.map((tr) => ({
      quote: tr.querySelector("blockquote")?.textContent, where: tr.cells[3].querySelector(".kind-tag")?.textContent })));
    assert.equal(cells.length, 50);
    for (const { quote, where } of cells) {
      const line = Number(/line (\d+)$/.exec(where)[1]);
      assert.equal(quote, fileLines[line - 1], `line ${line}`);
    }
    await shot(company, "norway-register-source");
    await company.getByRole("link", { name: "Next →" }).first().click();
    await company.waitForURL(/offset=50/);
    await company.getByText(/^51 to 100, in the order of their ids\.$/).waitFor();
    assert.deepEqual(await accessibilityProblems(company), []);
    const links = await open(`/?view=links&from=${one.a}&to=${one.b}&at=2008-03`, norway.url);
    await links.locator("ol.chains > li").first().waitFor();
    const labels = await links.locator("ol.chains > li svg").first().getAttribute("aria-label");
    assert.match(labels, new RegExp(`${one.a_label}.*${name}.*${one.b_label}`));
    await shot(links, "norway-shared-directors-2008-03");
    // The network around him opens in his own years, his ties drawn, the
    // centre marked, the same drawing on every load.
    const around = `/?view=network&around=${one.through}`;
    const network = await open(around, norway.url);
    await network.waitForFunction(() => window.interlockNetwork?.edges().length > 0, null, { timeout: 60_000 });
    const year = Number(await network.locator("#year").inputValue());
    assert.ok(year >= Number(await network.locator("#year").getAttribute("min")) && year <= Number(await network.locator("#year").getAttribute("max")));
    assert.ok(Number(await network.locator("#year").getAttribute("min")) >= 1990, "the slider spans his years, not the store's");
    assert.match(await network.getByRole("status").filter({ hasText: "ties as of" }).textContent(), new RegExp(`around ${name}`));
    const drawn = () => network.evaluate(() => ({
      centre: window.interlockNetwork.nodes(".centre").map((n) => n.id()),
      at: Object.fromEntries(window.interlockNetwork.nodes().map((n) => [n.id(), n.position()])),
      zoom: window.interlockNetwork.zoom(),
    }));
    const firstDrawing = await drawn();
    assert.deepEqual(firstDrawing.centre, [one.through]);
    assert.ok(firstDrawing.zoom >= 0.7, `labels readable at the first zoom (${firstDrawing.zoom})`);
    await shot(network, "norway-network-around-director");
    // Its downloads hold what is drawn, not the whole register.
    const gexf = await (await fetch(new URL(await network.locator("a[data-export=gexf]").getAttribute("href"), norway.url))).text();
    assert.equal((gexf.match(/<node /g) ?? []).length, await network.evaluate(() => window.interlockNetwork.nodes().length));
    await network.reload();
    await network.waitForFunction(() => window.interlockNetwork?.edges().length > 0, null, { timeout: 60_000 });
    assert.deepEqual((await drawn()).at, firstDrawing.at, "the same view is drawn the same way");
    // A tie clicked shows its evidence: the register's row.
    await network.evaluate(() => window.interlockNetwork.edges().first().emit("tap"));
    await network.locator(".network-panel article.evidence").first().waitFor();
    assert.match(await network.locator(".network-panel blockquote").first().textContent(), /\S/);
    // An entity clicked can draw its own ties.
    const before = await network.evaluate(() => window.interlockNetwork.nodes().length);
    await network.evaluate((id) => window.interlockNetwork.nodes().filter((n) => n.id() !== id && n.degree() > 0).first().emit("tap"), one.through);
    await network.getByRole("button", { name: "Draw its ties here" }).click();
    await network.locator(".network-panel").getByText(/more drawn|All its ties are drawn/).waitFor();
    assert.ok((await network.evaluate(() => window.interlockNetwork.nodes().length)) >= before);
    assert.deepEqual(network.problems, []);
    // Who sat on several boards at 2008-03: the API's answer, row for row.
    const view = await open("/?view=interlocks&at=2008-03", norway.url);
    await view.locator("table.rows tbody tr").first().waitFor();
    const people = new Set(interlocks.map((r) => r.through)).size;
    assert.match(await view.locator("h2").first().textContent(), new RegExp(`^${people} people on several boards at 2008-03: ${interlocks.length} pairs`));
    const shownRows = await view.locator("table.rows tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 3).map((c) => c.textContent).join(" | ")));
    const expected = interlocks.map((r) => [r.through_label, r.a_label, r.b_label].join(" | "));
    assert.ok(shownRows.every((r) => expected.includes(r)));
    assert.equal(shownRows.length, Math.min(1000, interlocks.length));
    const [download] = await Promise.all([view.waitForEvent("download"), view.getByRole("button", { name: "Download as CSV" }).click()]);
    const lines = readFileSync(await download.path(), "utf8").trim().split("\r\n");
    assert.equal(lines.length, interlocks.length + 1);
    assert.match(lines[0], /^person,person_id,organization_a/);
    // Sorting by the first organization, then back.
    await view.getByRole("button", { name: "Organization" }).first().click();
    assert.equal(await view.locator("th").nth(1).getAttribute("aria-sort"), "ascending");
    assert.deepEqual(await accessibilityProblems(view), []);
    await shot(view, "norway-interlocks-2008-03");
    // His timeline names both parties, never an id.
    const timeline = await open(`/?view=timeline&entities=${one.through}`, norway.url);
    await timeline.locator("table.rows tbody tr").first().waitFor();
    const happened = await timeline.locator("table.rows tbody tr td:nth-child(2)").allTextContents();
    assert.ok(happened.some((t) => t.startsWith(`${name} joins the board of `)), happened.join("\n"));
    assert.ok(happened.every((t) => !/board-membership/.test(t)), happened.join("\n"));
    await shot(timeline, "norway-director-timeline");
    // Without a centre, the network opens on ties, not on a grid of dots.
    const whole = await open("/?view=network&at=2008", norway.url);
    await whole.waitForFunction(() => window.interlockNetwork?.nodes().length > 0, null, { timeout: 60_000 });
    const { nodes, edges } = await whole.evaluate(() => ({ nodes: window.interlockNetwork.nodes().length, edges: window.interlockNetwork.edges().length }));
    assert.ok(edges >= nodes - 1, `a connected drawing: ${nodes} entities, ${edges} ties`);
    await shot(whole, "norway-network-2008");
  } finally {
    await norway.stop();
  }
});

test("Meta Platforms, Inc. from another dataset is Facebook: one page, what it was merged from, Sandberg's seat among its bars", async () => {
  const merged = await serve([
    ["load", "data/netflix-facebook.toml"],
    ["import", "ftm", "tests/data/identity/meta.json", "--dataset", "meta"],
  ]);
  try {
    const page = await open("/?entity=meta-platforms", merged.url);
    await page.locator("g.bar").first().waitFor();
    assert.equal(await page.locator("h1").textContent(), "Facebook");
    const from = await page.locator("ul.merged > li").allTextContents();
    assert.deepEqual(from, ["Facebook facebook in netflix-facebook", "Meta Platforms, Inc. meta-platforms in meta"]);
    const bars = await page.locator("g.bar").evaluateAll((gs) => gs.map((g) => g.getAttribute("aria-label") ?? g.textContent));
    assert.ok(bars.some((b) => /Sheryl Sandberg/.test(b)), bars.join("\n"));
    assert.ok(bars.some((b) => /Reed Hastings/.test(b)), bars.join("\n"));
    assert.deepEqual(page.problems, []);
    await shot(page, "merged-facebook");
  } finally {
    await merged.stop();
  }
});

test("an entity's page lists its likely duplicates, with their score and why", async () => {
  const world = join(mkdtempSync(join(tmpdir(), "interlock-world-")), "world.toml");
  const served = await serve([
    ["generate", "--relationships", "3000", "--seed", "7", "--format", "timeline", "-o", world],
    ["load", world, "tests/data/candidates/variants.toml"],
  ]);
  try {
    const pairs = await (await fetch(`${served.url}/api/candidates`)).json();
    assert.ok(pairs.length > 0);
    const [one] = pairs;
    const page = await open(`/?entity=${one.a}`, served.url);
    await page.getByRole("heading", { name: "Likely the same as" }).waitFor({ timeout: 60_000 });
    const items = await page.locator("section.duplicates li").allTextContents();
    assert.ok(items.some((t) => t.startsWith(one.b_label) && t.includes(one.reason)), items.join("\n"));
    await page.locator("section.duplicates li a").first().click();
    await page.waitForURL(/\?entity=/);
    assert.notEqual(new URL(page.url()).searchParams.get("entity"), one.a);
    assert.deepEqual(page.problems, []);
    await shot(page, "likely-duplicates");
  } finally {
    await served.stop();
  }
});

test("as known by 2015: only the chain a source had published by then, and the undated claim said to be left out", async () => {
  const record = await serve([["load", "tests/data/record-time/record-time.toml"]]);
  try {
    const page = await open("/?view=links&from=beth-ames&to=delta-asa&known_by=2015", record.url);
    await page.locator("ol.chains > li").first().waitFor();
    assert.equal(await page.locator("ol.chains > li").count(), 1);
    assert.match(await page.locator("h2").first().textContent(), /1 chain, as known by 2015/);
    assert.match(await page.locator("p.notice").textContent(), /1 claim was left out: none of its sources has a publication date/);
    assert.equal(await page.getByLabel("As known by (sources published by)").inputValue(), "2015");
    await shot(page, "known-by-2015");
    // Without the date: every chain.
    const all = await open("/?view=links&from=beth-ames&to=delta-asa", record.url);
    await all.locator("ol.chains > li").first().waitFor();
    assert.equal(await all.locator("ol.chains > li").count(), 3);
    assert.equal(await all.locator("p.notice").count(), 0);
    assert.deepEqual([...page.problems, ...all.problems], []);
  } finally {
    await record.stop();
  }
});

test("the timeline by record time: when each claim became public beside when it happened; as known by 2015 on the timeline and the network", async () => {
  const record = await serve([["load", "tests/data/record-time/record-time.toml"]]);
  try {
    const page = await open("/?view=timeline&record=yes", record.url);
    await page.locator("table.rows tbody tr").first().waitFor();
    assert.ok(await page.getByLabel("When each became public").isChecked());
    const rows = await page.locator("table.rows tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    // "What happened" tells the claim with its parties, its label beside it.
    const publicBy = (claim) => [...new Set(rows.filter((r) => r[1] === claim || r[1].endsWith(`(${claim})`)).map((r) => r[3]))];
    assert.deepEqual(publicBy("Beth Ames on Alpha's board"), ["2012-03-01"]);
    assert.deepEqual(publicBy("Beth Ames on Delta's board"), ["2012-03-01"]);
    assert.deepEqual(publicBy("Beth Ames on Gamma's board"), ["2018-12-31"]);
    assert.deepEqual(publicBy("Alpha owns Delta"), ["2016-12-31"]);
    assert.deepEqual(publicBy("Gamma owns Delta"), ["no dated source"]);
    // A diamond for each entry with a record time: four ties, a start and an end each.
    assert.equal(await page.locator("figure.bars path.public-by").count(), 8);
    assert.match(await page.locator("p.notice").textContent(), /1 claim has no source with a publication date/);
    await shot(page, "timeline-record");

    const known = await open("/?view=timeline&known_by=2015", record.url);
    await known.locator("table.rows tbody tr").first().waitFor();
    assert.match(await known.locator("h2").first().textContent(), /^4 entries as known by 2015$/);
    const claims = await known.locator("table.rows tbody tr td:nth-child(2)").allTextContents();
    assert.deepEqual([...new Set(claims.map((c) => /\((.*)\)$/.exec(c)[1]))].sort(), ["Beth Ames on Alpha's board", "Beth Ames on Delta's board"]);
    assert.ok(claims.some((c) => c.startsWith("Beth Ames joins the board of ")), claims.join("\n"));
    assert.match(await known.locator("p.notice").textContent(), /1 claim was left out/);

    const network = await open("/?view=network&at=2015&known_by=2015", record.url);
    await network.locator("#network canvas").first().waitFor();
    await network.getByRole("status").filter({ hasText: "ties as of" }).waitFor();
    assert.match(await network.getByRole("status").filter({ hasText: "ties as of" }).textContent(), /and 2 ties as of 2015 around .+, as known by 2015/);
    assert.match(await network.locator("p.notice").textContent(), /1 claim was left out/);
    assert.match(await network.locator("a[data-export=gexf]").getAttribute("href"), /known_by=2015/);
    assert.deepEqual([...page.problems, ...known.problems, ...network.problems], []);
    await shot(network, "network-known-by-2015");
  } finally {
    await record.stop();
  }
});

/**
 * Another web site, on 127.0.0.2: a page whose script reads `target`'s
 * /sparql, /api/entity and an export and writes what it got, and YASGUI
 * (its own copy, as a hosted YASGUI) pointed at `target`'s endpoint.
 */
async function elsewhere() {
  const dist = join(ROOT, "web", "dist");
  const probe = `<!doctype html><html lang="en"><title>elsewhere</title><body><pre id="out"></pre><script>
    const target = new URLSearchParams(location.search).get("target");
    const reads = {
      sparql: target + "/sparql?query=" + encodeURIComponent("SELECT ?n WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?n } LIMIT 500"),
      entity: target + "/api/entity?id=reed-hastings",
      gexf: target + "/api/export/gexf",
    };
    Promise.all(Object.entries(reads).map(([name, url]) =>
      fetch(url, { headers: name === "sparql" ? { Accept: "application/sparql-results+json" } : {} })
        .then((r) => r.text()).then((t) => name + ": read " + t, (e) => name + ": failed " + e.message)))
      .then((lines) => { document.getElementById("out").textContent = lines.join("\\n"); document.body.dataset.done = "yes"; });
  </script></body></html>`;
  const yasgui = `<!doctype html><html lang="en"><title>YASGUI elsewhere</title>
    <link rel="stylesheet" href="/yasgui.min.css"><script src="/yasgui.min.js"></script><body><div id="y"></div><script>
    const target = new URLSearchParams(location.search).get("target");
    window.yasgui = new Yasgui(document.getElementById("y"), { requestConfig: { endpoint: target + "/sparql", method: "POST" }, copyEndpointOnNewTab: false });
  </script></body></html>`;
  const files = { "/probe.html": ["text/html; charset=utf-8", probe], "/yasgui.html": ["text/html; charset=utf-8", yasgui] };
  const site = createHttpServer((req, res) => {
    const path = req.url.split("?")[0];
    if (files[path]) { res.writeHead(200, { "content-type": files[path][0] }); res.end(files[path][1]); return; }
    if (path === "/yasgui.min.js" || path === "/yasgui.min.css") {
      res.writeHead(200, { "content-type": `${path.endsWith(".js") ? "text/javascript" : "text/css"}; charset=utf-8` });
      res.end(readFileSync(join(dist, path.slice(1))));
      return;
    }
    res.writeHead(404); res.end();
  });
  await new Promise((ok) => site.listen(0, "127.0.0.2", ok));
  return { url: `http://127.0.0.2:${site.address().port}`, close: () => new Promise((ok) => site.close(ok)) };
}

/** What the probe page on `site` read from `target`: one line per read. */
async function probe(site, target) {
  const page = await open(`/probe.html?target=${encodeURIComponent(target)}`, site.url);
  await page.waitForSelector("body[data-done=yes]");
  const text = await page.locator("#out").textContent();
  await page.context().close();
  return text;
}

test("a page on another origin cannot read the server, and can once its origin is invited; YASGUI elsewhere too", async () => {
  const site = await elsewhere();
  const invited = await serve([], ["--cors", site.url]);
  try {
    const closed = await probe(site, server.url);
    assert.match(closed, /^sparql: failed /m);
    assert.match(closed, /^entity: failed /m);
    assert.match(closed, /^gexf: failed /m);
    assert.doesNotMatch(closed, /Hastings|Netflix/);
    const open_ = await probe(site, invited.url);
    assert.match(open_, /^sparql: read .*"results"/m);
    assert.match(open_, /^entity: read .*"Reed Hastings"/m);
    assert.match(open_, /^gexf: read <\?xml[^\n]*\n<gexf/m);
    for (const [target, rows] of [[invited.url, 1], [server.url, 0]]) {
      const page = await open(`/yasgui.html?target=${encodeURIComponent(target)}`, site.url);
      await page.waitForFunction(() => window.yasgui?.getTab()?.getYasqe());
      await page.evaluate(() => {
        const tab = window.yasgui.getTab();
        tab.getYasqe().setValue("SELECT ?name WHERE { ?p a <https://w3id.org/interlock/ontology#Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name . FILTER(CONTAINS(?name, 'Hastings')) } LIMIT 1");
        tab.getYasqe().query();
      });
      if (rows) {
        await page.locator(".yasr table tbody tr").first().waitFor();
        assert.match(await page.locator(".yasr table tbody").textContent(), /Reed Hastings/);
        await shot(page, "yasgui-elsewhere-invited");
      } else {
        await page.locator(".yasr .errorResult, .yasr_response_chip, .errorHeader").first().waitFor();
        assert.equal(await page.locator(".yasr table tbody tr").count(), 0);
        assert.doesNotMatch(await page.locator(".yasr").textContent(), /Reed Hastings/);
        await shot(page, "yasgui-elsewhere-refused");
      }
      await page.context().close();
    }
  } finally {
    await invited.stop();
    await site.close();
  }
});

test("the datasets view lists each dataset with what its import read", async () => {
  const rejects = join(mkdtempSync(join(tmpdir(), "interlock-rejects-")), "rejects.csv");
  const messy = await serve([
    ["load", "data"],
    ["import", "csv", "tests/data/messy/register.csv", "--mapping", "tests/data/messy/mapping.toml", "--rejects", rejects],
  ]);
  try {
    const datasets = await (await fetch(`${messy.url}/api/datasets`)).json();
    const register = datasets.find((d) => d.id === "messy-register");
    assert.equal(register.report.rows_read, 13);
    assert.equal(register.entities, 12);
    assert.equal(register.relationships, 8);
    assert.deepEqual([register.earliest, register.latest], ["2008-01-01", "2012-01-31"]);
    const page = await open("/?view=datasets", messy.url);
    const row = page.locator("#dataset-messy-register");
    await row.waitFor();
    const text = await row.textContent();
    for (const expected of [
      "A messy directorships register", "Directorships register (test fixture)", "13 rows read, 8 loaded",
      "Rejected: 1 empty id, 1 end before start, 1 unknown kind, 1 unreadable date, 1 unreadable row",
      "3 dated, 4 half-dated, 1 undated", "2008-01-01 to 2012-01-31", "1 id with differing names",
    ]) assert.ok(text.includes(expected), `${expected} in ${text}`);
    await row.locator("summary").click();
    assert.match(await row.textContent(), /za-person-p1: Jane Doe · J\. Doe/);
    const seed = await page.locator("#dataset-netflix-facebook").textContent();
    assert.match(seed, /written as a timeline/);
    assert.equal(await page.locator("table.datasets tbody tr").count(), datasets.length);
    await shot(page, "datasets");
    assert.deepEqual(await accessibilityProblems(page), []);
  } finally {
    await messy.stop();
  }
});
