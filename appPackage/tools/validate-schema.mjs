// Validates a filled manifest.json (and its localization files) against the JSON schema of its
// manifestVersion, taken from the @microsoft/app-manifest package (offline; no schema download).
//
//   node validate-schema.mjs <folder with the filled manifest.json>      e.g. ../build/dev
//
// Run through `build.sh <env> --schema`, which installs the pinned packages first.
import { readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const Ajv04 = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node validate-schema.mjs <folder with the filled manifest.json>");
  process.exit(2);
}

const schemaRoot = join(
  dirname(require.resolve("@microsoft/app-manifest/package.json")),
  "build", "json-schemas", "teams",
);

function validate(file, schemaFile) {
  if (!existsSync(schemaFile)) {
    return [`${file}: no schema at ${schemaFile} (is @microsoft/app-manifest older than the manifest?)`];
  }
  // unicodeRegExp: false because Microsoft's localization schema has a pattern that is valid
  // only without the u flag (a "]" outside a character class).
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const check = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
  const document = JSON.parse(readFileSync(file, "utf8"));
  // The schemas do not list "$schema" for every file type; it is metadata, not content.
  return check(document)
    ? []
    : check.errors.map((e) => `${file}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}

const manifestFile = join(folder, "manifest.json");
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
const version = `v${manifest.manifestVersion}`;
const problems = validate(manifestFile, join(schemaRoot, version, "MicrosoftTeams.schema.json"));
for (const language of manifest.localizationInfo?.additionalLanguages ?? []) {
  problems.push(...validate(join(folder, language.file), join(schemaRoot, version, "MicrosoftTeams.Localization.schema.json")));
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`validate-schema: ${problem}`);
  process.exit(1);
}
console.log(`validate-schema: manifest.json and its localization files match the ${version} schema`);
