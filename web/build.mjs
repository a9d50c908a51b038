// Builds the page into dist/, which `interlock serve` compiles into its
// binary: the page's own modules bundled with their npm dependencies
// (Cytoscape.js) into app.js, the SPARQL editor (YASGUI) as published,
// loaded only by the SPARQL view.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const dist = new URL("./dist/", import.meta.url);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
await build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  outfile: "dist/app.js",
  legalComments: "linked",
});
const copies = {
  "src/index.html": "index.html",
  "src/style.css": "style.css",
  "node_modules/@zazuko/yasgui/build/yasgui.min.js": "yasgui.min.js",
  "node_modules/@zazuko/yasgui/build/yasgui.min.css": "yasgui.min.css",
};
for (const [from, to] of Object.entries(copies)) {
  copyFileSync(new URL(from, import.meta.url), new URL(to, dist));
}
console.log("built web/dist");
