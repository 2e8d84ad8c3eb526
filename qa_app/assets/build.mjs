// Builds the front-end assets into qa_app/static/ (git-ignored).
//
// Plain Node (fs/path) plus the Sass JS API, so the build behaves the same on
// every machine: no bundler, no network, no globally installed tools.
// Run with `npm run build` from the repository root.

import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const nodeModules = join(root, "node_modules");
const assets = join(root, "qa_app", "assets");
const out = join(root, "qa_app", "static");

// Start from an empty output folder so nothing stale (an old script, a
// renamed file) is ever served.
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

// Styles: one compressed stylesheet, no source map.
const css = sass.compile(join(assets, "scss", "app.scss"), {
  style: "compressed",
  sourceMap: false,
  loadPaths: [nodeModules],
});
writeFileSync(join(out, "css", "app.css"), css.css + "\n");

// Scripts: GOV.UK Frontend's ES module build, and our own modules beside it
// (app.js imports "./govuk-frontend.min.js", so they must share a folder).
// The source map is not shipped, so its trailing reference is dropped to
// avoid a request for a file that does not exist.
const govukJs = readFileSync(
  join(nodeModules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"),
  "utf8",
);
writeFileSync(
  join(out, "js", "govuk-frontend.min.js"),
  govukJs.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"),
);
for (const name of readdirSync(join(assets, "js"))) {
  if (name.endsWith(".js")) {
    copyFileSync(join(assets, "js", name), join(out, "js", name));
  }
}

console.log(`Built qa_app/static (app.css ${css.css.length} bytes)`);
