// `node scripts/api-limits.mjs openapi.json`: prints src/lib/api/limits.ts, the limits of the
// schema's fields (lengths, bounds), which openapi-typescript's types cannot carry. `make
// api-types` writes it and `make check-api-types` compares it, like schema.ts.
import { readFileSync } from "node:fs";

const LIMIT_KEYWORDS = ["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"];

/** The limits of one property; an optional field's (`anyOf: [{type: string, maxLength}, {type: null}]`) from its branches. */
function limitsOf(property) {
  const limits = {};
  for (const schema of [property, ...(property.anyOf ?? [])]) {
    for (const keyword of LIMIT_KEYWORDS) {
      if (keyword in schema) limits[keyword] = schema[keyword];
    }
  }
  return limits;
}

const [schemaFile] = process.argv.slice(2);
if (!schemaFile) {
  console.error("usage: node scripts/api-limits.mjs <openapi.json>");
  process.exit(2);
}
const schemas = JSON.parse(readFileSync(schemaFile, "utf8")).components?.schemas ?? {};

const limits = {};
for (const [schemaName, schema] of Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  for (const [propertyName, property] of Object.entries(schema.properties ?? {})) {
    const propertyLimits = limitsOf(property);
    if (Object.keys(propertyLimits).length > 0) (limits[schemaName] ??= {})[propertyName] = propertyLimits;
  }
}

process.stdout.write(`// Generated from the backend's OpenAPI schema by \`make api-types\` (scripts/api-limits.mjs): never edit.
// The limits of the schema's fields, by schema and field: forms use them as hints, the backend checks them.

export const limits = ${JSON.stringify(limits, null, 2)} as const;
`);
