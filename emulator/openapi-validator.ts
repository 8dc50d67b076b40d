import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** The subset of OpenAPI 3.0 schema objects Flink's generated document uses. */
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

export interface ValidationOptions {
  /** Also report properties the schema does not declare (catches misspelt field names). */
  strict: boolean;
  /** JSON paths (e.g. `$.job-execution-result`) whose content is not checked: documented exemptions. */
  exempt?: string[];
}

/**
 * Validates JSON against the response schema of one operation in Flink's OpenAPI document.
 * `null` is accepted wherever an object is expected: the generated schemas never say
 * `nullable`, yet Jackson writes nulls (e.g. `latest.failed` in /checkpoints, flink/NOTES.md).
 */
export class OpenApiValidator {
  readonly #doc: OpenApiDoc;

  constructor(file: string) {
    this.#doc = parse(readFileSync(file, "utf8")) as OpenApiDoc;
  }

  responseSchema(path: string, method: string, status: string): Schema {
    const response = this.#doc.paths[path]?.[method.toLowerCase()]?.responses?.[status];
    if (!response) throw new Error(`the spec has no ${status} response for ${method} ${path}`);
    // Responses without content (cancel's 202) are an empty JSON object on the wire.
    return response.content?.["application/json"]?.schema ?? { type: "object", properties: {} };
  }

  validate(value: unknown, schema: Schema, options: ValidationOptions, at = "$", viaDiscriminator = false): string[] {
    if (isExempt(options.exempt, at)) return [];
    if (schema.$ref) return this.validate(value, this.#resolve(schema.$ref), options, at, viaDiscriminator);
    const mapped = !viaDiscriminator && schema.discriminator && isObject(value)
      ? schema.discriminator.mapping?.[String(value[schema.discriminator.propertyName])]
      : undefined;
    // Polymorphic entries (checkpoint `className`): validate against the mapped subtype.
    if (mapped) return this.validate(value, this.#resolve(mapped), options, at, true);
    const errors: string[] = [];
    if (schema.allOf) {
      // allOf members are checked without strictness each; strictness applies to their union below.
      for (const part of schema.allOf) errors.push(...this.validate(value, part, { ...options, strict: false }, at, true));
      if (options.strict && isObject(value)) errors.push(...this.#unknownKeys(value, this.#declared(schema), at, options.exempt));
      return errors;
    }
    if (schema.oneOf) {
      const fits = schema.oneOf.filter((s) => this.validate(value, s, options, at).length === 0);
      return fits.length > 0 ? [] : [`${at}: matches none of oneOf`];
    }
    if (value === null) return schema.type === undefined || schema.type === "object" ? [] : [`${at}: null where ${schema.type} expected`];
    if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
    switch (schema.type) {
      case "string":
        if (typeof value !== "string") return [`${at}: expected string, got ${typeof value}`];
        if (schema.pattern && !new RegExp(`^(?:${schema.pattern})$`).test(value)) return [`${at}: "${value}" does not match ${schema.pattern}`];
        return [];
      case "integer":
        return Number.isInteger(value) ? [] : [`${at}: expected integer, got ${JSON.stringify(value)}`];
      case "number":
        return typeof value === "number" ? [] : [`${at}: expected number`];
      case "boolean":
        return typeof value === "boolean" ? [] : [`${at}: expected boolean`];
      case "array":
        if (!Array.isArray(value)) return [`${at}: expected array`];
        return value.flatMap((item, i) => (schema.items ? this.validate(item, schema.items, options, `${at}[${i}]`) : []));
    }
    if (schema.type === "object" || schema.properties || schema.additionalProperties) {
      if (!isObject(value)) return [`${at}: expected object`];
      for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${at}: missing required ${key}`);
      for (const [key, v] of Object.entries(value)) {
        const prop = schema.properties?.[key];
        if (prop) errors.push(...this.validate(v, prop, options, `${at}.${key}`));
        else if (typeof schema.additionalProperties === "object") errors.push(...this.validate(v, schema.additionalProperties, options, `${at}.${key}`));
      }
      if (options.strict && schema.properties && !schema.additionalProperties) {
        errors.push(...this.#unknownKeys(value, this.#declared(schema), at, options.exempt));
      }
    }
    return errors;
  }

  #unknownKeys(value: Record<string, unknown>, declared: Set<string>, at: string, exempt: string[] = []): string[] {
    return Object.keys(value).filter((k) => !declared.has(k) && !isExempt(exempt, `${at}.${k}`)).map((k) => `${at}: undeclared property ${k}`);
  }

  #declared(schema: Schema): Set<string> {
    if (schema.$ref) return this.#declared(this.#resolve(schema.$ref));
    const keys = new Set(Object.keys(schema.properties ?? {}));
    for (const part of schema.allOf ?? []) for (const k of this.#declared(part)) keys.add(k);
    return keys;
  }

  #resolve(ref: string): Schema {
    const name = ref.replace("#/components/schemas/", "");
    const schema = this.#doc.components.schemas[name];
    if (!schema) throw new Error(`unresolved $ref ${ref}`);
    return schema;
  }
}

/** Exemptions may use `[*]` for any array index. */
function isExempt(exempt: string[] | undefined, at: string): boolean {
  return exempt?.includes(at.replace(/\[\d+\]/g, "[*]")) ?? false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
