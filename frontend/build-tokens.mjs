// Writes the Suomi.fi design tokens (npm package suomifi-design-tokens) as CSS custom
// properties, so our own stylesheet can use them without a Sass build.
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const require = createRequire(import.meta.url);
const { suomifiDesignTokens: tokens } = require("suomifi-design-tokens");

const kebab = (name) => name.replace(/([a-z])([A-Z0-9])/g, "$1-$2").toLowerCase();
const lines = [];
for (const [name, value] of Object.entries(tokens.colors)) {
  lines.push(`  --fi-color-${kebab(name)}: ${typeof value === "string" ? value : value.hsl};`);
}
for (const [name, value] of Object.entries(tokens.spacing ?? {})) {
  lines.push(`  --fi-spacing-${kebab(name)}: ${value};`);
}
const out = process.argv[2] ?? "build/static/regionet/tokens.css";
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `/* Generated from suomifi-design-tokens by frontend/build-tokens.mjs */\n:root {\n${lines.join("\n")}\n}\n`);
console.log(`wrote ${out} (${lines.length} tokens)`);
