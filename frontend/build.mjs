// Builds PersonFirst's front-end assets into build/static (never committed):
// GOV.UK Frontend's Sass compiled with our own font stack (no GDS Transport,
// which is for GOV.UK services only), its JavaScript, and our small scripts.
import { mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const frontend = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

for (const dir of ["css", "js", "images"]) mkdirSync(join(out, dir), { recursive: true });

const css = sass.compile(join(root, "frontend", "scss", "app.scss"), {
  importers: [new sass.NodePackageImporter()],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "app.css"), css.css);
// Fixes to Django's admin site (loaded after its own styles).
const admin = sass.compile(join(root, "frontend", "scss", "admin.scss"), { style: "compressed" });
writeFileSync(join(out, "css", "admin.css"), admin.css);

copyFileSync(join(frontend, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
for (const file of ["app.mjs", "js-enabled.js", "admin.js"]) {
  copyFileSync(join(root, "frontend", "js", file), join(out, "js", file));
}
copyFileSync(join(root, "frontend", "images", "favicon.svg"), join(out, "images", "favicon.svg"));
copyFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(root, "build", "axe.min.js"));
console.log(`Built front-end assets in ${out}`);
