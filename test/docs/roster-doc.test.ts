import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptFileSchema } from '../../src/shared/models.js';
import {
  AgentManifestSchema,
  EvalCaseSchema,
  McpFileSchema,
  McpServerSchema,
  TrajectoryExpectedSchema,
  WardenConfigSchema,
} from '../../src/shared/roster.js';

// docs/roster.md gives every field of the roster's files in tables whose first cell is the
// field's path. These tests walk the zod schemas themselves, so a field added to a schema
// without a row, a row for a field that does not exist, or a default that changed fails here.

const doc = readFileSync(new URL('../../docs/roster.md', import.meta.url), 'utf8');

/** One field of a schema: its path as the doc writes it, and its default when it has one. */
interface Field {
  path: string;
  default?: unknown;
}

/**
 * Every field under a schema, depth first: `a.b` inside an object, `a[].b` inside a list's
 * items, `a.*.b` inside a map's values (the doc writes the key as `<name>`). A union
 * contributes the fields of each of its options.
 */
function fieldsOf(schema: z.ZodType, prefix = ''): Field[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return fieldsOf(schema.unwrap() as z.ZodType, prefix);
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, value]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return [{ path, ...defaultOf(value) }, ...fieldsOf(value, path)];
    });
  }
  if (schema instanceof z.ZodArray) return fieldsOf(schema.element as z.ZodType, `${prefix}[]`);
  if (schema instanceof z.ZodRecord) return fieldsOf(schema._zod.def.valueType as z.ZodType, `${prefix}.*`);
  if (schema instanceof z.ZodUnion) {
    const seen = new Map<string, Field>();
    for (const option of schema.options as z.ZodType[]) for (const f of fieldsOf(option, prefix)) seen.set(f.path, f);
    return [...seen.values()];
  }
  return [];
}

/** The default a field has in its schema, when it has one (optional and nullable wrappers looked through). */
function defaultOf(schema: z.ZodType): { default?: unknown } {
  if (schema instanceof z.ZodDefault) return { default: schema._zod.def.defaultValue };
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return defaultOf(schema.unwrap() as z.ZodType);
  return {};
}

/** The text of the doc from a `## ` heading to the next one. */
function section(heading: string): string {
  const start = doc.split('\n').findIndex((line) => line === `## ${heading}`);
  if (start < 0) throw new Error(`docs/roster.md has no section "## ${heading}"`);
  const lines = doc.split('\n').slice(start + 1);
  const end = lines.findIndex((line) => line.startsWith('## '));
  return lines.slice(0, end < 0 ? undefined : end).join('\n');
}

/** The table rows of a section whose first cell is a field path in backticks: path → default cell. */
function rows(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const path = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (path && line.startsWith('|')) found.set(path, cells[3] ?? '');
  }
  return found;
}

/** A schema path as a pattern over the doc's paths: a map key may be written as any `<placeholder>`. */
function pattern(path: string): RegExp {
  const escaped = path.replace(/[.[\]]/g, (c) => `\\${c}`).replace(/\\\.\*/g, '\\.<[^>]+>');
  return new RegExp(`^${escaped}$`);
}

/** How the default cell may write a default: the value in backticks, as JSON, or (for text) bare. */
function writtenDefaults(value: unknown): string[] {
  const json = JSON.stringify(value);
  return typeof value === 'string' && value !== '' ? [`\`${value}\``, `\`${json}\``] : [`\`${json}\``];
}

const FILES: { heading: string; schemas: [z.ZodType, string][] }[] = [
  { heading: 'warden.yaml', schemas: [[WardenConfigSchema, '']] },
  { heading: 'agents/&lt;id&gt;.yaml', schemas: [[AgentManifestSchema, '']] },
  {
    heading: 'mcp.json',
    schemas: [
      [McpFileSchema, ''],
      [McpServerSchema, 'mcpServers.*'],
    ],
  },
  { heading: 'models/\\*.yaml', schemas: [[ScriptFileSchema, '']] },
  {
    heading: 'evals/&lt;agent&gt;.jsonl',
    schemas: [
      [EvalCaseSchema, ''],
      [TrajectoryExpectedSchema, 'expected'],
    ],
  },
];

describe('docs/roster.md', () => {
  it('walks nested objects, lists and maps of a schema', () => {
    const paths = fieldsOf(WardenConfigSchema).map((f) => f.path);
    expect(paths).toContain('thresholds.autoBelowUsd');
    expect(paths).toContain('guardrails.arguments[].denyPattern');
    expect(paths).toContain('providers.*.timeoutMs');
    expect(pattern('providers.*.timeoutMs').test('providers.<name>.timeoutMs')).toBe(true);
    expect(pattern('providers.*.timeoutMs').test('providers.timeoutMs')).toBe(false);
  });

  for (const { heading, schemas } of FILES) {
    describe(heading.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace('\\', ''), () => {
      const fields = schemas.flatMap(([schema, prefix]) =>
        prefix ? [{ path: prefix }, ...fieldsOf(schema, prefix)] : fieldsOf(schema),
      );
      const documented = rows(section(heading));

      it('gives every field of the schema a row', () => {
        const missing = fields.filter((f) => ![...documented.keys()].some((path) => pattern(f.path).test(path)));
        expect(missing.map((f) => f.path)).toEqual([]);
      });

      it('documents no field the schema does not have', () => {
        const invented = [...documented.keys()].filter((path) => !fields.some((f) => pattern(f.path).test(path)));
        expect(invented).toEqual([]);
      });

      it('states each simple default as the schema has it', () => {
        const wrong = fields.flatMap((f) => {
          const value = f.default;
          if (value === undefined) return [];
          // An object default other than {} is the sum of its fields' defaults, each checked on its own row.
          if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) return [];
          const row = [...documented].find(([path]) => pattern(f.path).test(path));
          const cell = row?.[1] ?? '';
          return writtenDefaults(value).some((written) => cell.includes(written))
            ? []
            : [`${f.path}: expected the default ${JSON.stringify(value)}, the doc says "${cell}"`];
        });
        expect(wrong).toEqual([]);
      });
    });
  }
});
