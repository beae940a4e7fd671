// Generated from the backend's OpenAPI schema by `make api-types` (scripts/api-limits.mjs): never edit.
// The limits of the schema's fields, by schema and field: forms use them as hints, the backend checks them.

export const limits = {
  "ProjectChanges": {
    "name": {
      "minLength": 1,
      "maxLength": 100
    },
    "description": {
      "maxLength": 2000
    }
  },
  "ProjectIn": {
    "name": {
      "minLength": 1,
      "maxLength": 100
    },
    "description": {
      "maxLength": 2000
    }
  }
} as const;
