/**
 * The registry of approved WhatsApp message templates: a template send is checked
 * against it before anything leaves, so a wrong parameter count fails here with
 * INVALID_INPUT instead of as an asynchronous "failed" receipt from Meta.
 */
import { z } from "zod";
import { invalidInput, parseInput, StoredeskError } from "@storedesk/core";

/** Button kinds of a template that take a parameter, in button order. */
export type TemplateButtonKind = "quick_reply" | "url" | "copy_code";

/** Header kinds of a template that take a parameter. */
export type TemplateHeaderKind = "text" | "image" | "video" | "document";

/** Media given as a header parameter: a public link or an uploaded media id. */
export interface TemplateMedia {
  link?: string;
  id?: string;
  filename?: string;
}

/**
 * Template parameters in their normalized form: body variables `{{1}}…{{n}}` in order,
 * the header variable, and one value per parameterized button in button order.
 */
export interface TemplateParameters {
  body?: string[];
  header?: string | TemplateMedia;
  buttons?: string[];
}

/** How many and which parameters a template takes. */
export interface TemplateParameterCounts {
  /** Number of body variables. */
  body: number;
  header?: TemplateHeaderKind | null;
  /** One entry per button that takes a parameter, in button order. */
  buttons?: TemplateButtonKind[];
}

/** One approved template as registered with Meta. */
export interface TemplateDefinition {
  name: string;
  /** Meta's language code, e.g. `ko`, `en_US`. */
  language: string;
  category: "utility" | "marketing" | "authentication";
  /**
   * Either the counts, or a zod schema whose output is {@link TemplateParameters}
   * (named inputs mapped to positions with `.transform`).
   */
  parameters?: TemplateParameterCounts | z.ZodType<TemplateParameters>;
  /** Button kinds when `parameters` is a schema (needed to build button components). */
  buttons?: TemplateButtonKind[];
  /** Header kind when `parameters` is a schema. */
  header?: TemplateHeaderKind | null;
}

/** A validated template send, ready to become a Cloud API `template` object. */
export interface ResolvedTemplate {
  definition: TemplateDefinition;
  parameters: TemplateParameters;
  /** The Cloud API `template` object. */
  payload: Record<string, unknown>;
}

/** The registry made by {@link defineTemplateRegistry}. */
export interface TemplateRegistry {
  list(): TemplateDefinition[];
  /** The template with this name and language (exact, then by primary subtag: `en` ↔ `en_US`), or null. */
  get(name: string, language?: string | null): TemplateDefinition | null;
  /** Validates a template send; unknown template or wrong parameters → INVALID_INPUT. */
  resolve(template: {
    name: string;
    language?: string | null;
    parameters?: Record<string, unknown> | null;
  }): ResolvedTemplate;
  /** The template to suggest when the 24-hour window is closed: the first utility template, or null. */
  suggested(): TemplateDefinition | null;
}

const MediaSchema = z
  .object({ link: z.string().min(1).optional(), id: z.string().min(1).optional(), filename: z.string().optional() })
  .refine((m) => (m.link === undefined) !== (m.id === undefined), "give exactly one of link or id");
const ParamText = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(1024));

/** Shape check of normalized parameters (used without a registry too). */
export const TemplateParametersSchema = z
  .object({
    body: z.array(ParamText).optional(),
    header: z.union([ParamText, MediaSchema]).optional(),
    buttons: z.array(ParamText).optional(),
  })
  .strict();

function countsSchema(counts: TemplateParameterCounts): z.ZodType<TemplateParameters> {
  const buttons = counts.buttons ?? [];
  const header = counts.header ?? null;
  return TemplateParametersSchema.superRefine((p, ctx) => {
    const body = p.body ?? [];
    if (body.length !== counts.body)
      ctx.addIssue({
        code: "custom",
        path: ["body"],
        message: `expected ${counts.body} body parameter(s), got ${body.length}`,
      });
    if (header === null && p.header !== undefined)
      ctx.addIssue({ code: "custom", path: ["header"], message: "this template takes no header parameter" });
    if (header === "text" && typeof p.header !== "string")
      ctx.addIssue({ code: "custom", path: ["header"], message: "expected a text header parameter" });
    if (header !== null && header !== "text" && (p.header === undefined || typeof p.header === "string"))
      ctx.addIssue({ code: "custom", path: ["header"], message: `expected a ${header} header ({ link } or { id })` });
    const given = p.buttons ?? [];
    if (given.length !== buttons.length)
      ctx.addIssue({
        code: "custom",
        path: ["buttons"],
        message: `expected ${buttons.length} button parameter(s), got ${given.length}`,
      });
  });
}

function primary(language: string): string {
  return language.toLowerCase().split(/[-_]/)[0] ?? language.toLowerCase();
}

/** Builds the Cloud API `template` object from a definition and checked parameters. */
export function templatePayload(
  definition: Pick<TemplateDefinition, "name" | "language">,
  parameters: TemplateParameters,
  kinds: { header?: TemplateHeaderKind | null; buttons?: TemplateButtonKind[] } = {},
): Record<string, unknown> {
  const components: Array<Record<string, unknown>> = [];
  if (parameters.header !== undefined) {
    if (typeof parameters.header === "string")
      components.push({ type: "header", parameters: [{ type: "text", text: parameters.header }] });
    else {
      const kind = kinds.header && kinds.header !== "text" ? kinds.header : "image";
      const media = Object.fromEntries(Object.entries(parameters.header).filter(([, v]) => v !== undefined));
      components.push({ type: "header", parameters: [{ type: kind, [kind]: media }] });
    }
  }
  if (parameters.body && parameters.body.length > 0) {
    components.push({ type: "body", parameters: parameters.body.map((text) => ({ type: "text", text })) });
  }
  (parameters.buttons ?? []).forEach((value, index) => {
    const kind = kinds.buttons?.[index] ?? "quick_reply";
    const parameter =
      kind === "quick_reply"
        ? { type: "payload", payload: value }
        : kind === "copy_code"
          ? { type: "coupon_code", coupon_code: value }
          : { type: "text", text: value };
    components.push({ type: "button", sub_type: kind, index: String(index), parameters: [parameter] });
  });
  return {
    name: definition.name,
    language: { code: definition.language },
    ...(components.length > 0 ? { components } : {}),
  };
}

const DefinitionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, "template names are lowercase letters, digits and _"),
    language: z.string().min(2).max(15),
    category: z.enum(["utility", "marketing", "authentication"]),
  })
  .loose();

/**
 * Declares the approved templates of a WhatsApp Business Account.
 *
 * @example
 * const templates = defineTemplateRegistry([
 *   { name: "order_update", language: "ko", category: "utility", parameters: { body: 2 } },
 *   { name: "support_followup", language: "en_US", category: "utility", parameters: { body: 1, buttons: ["quick_reply"] } },
 * ]);
 * templates.resolve({ name: "order_update", language: "ko", parameters: { body: ["#1001", "내일"] } });
 */
export function defineTemplateRegistry(definitions: TemplateDefinition[]): TemplateRegistry {
  const list = definitions.map((d, i) => {
    parseInput(DefinitionSchema, d, `template definition ${i}`);
    return d;
  });
  const seen = new Set<string>();
  for (const d of list) {
    const key = `${d.name}:${d.language}`;
    if (seen.has(key)) throw invalidInput(`Template ${d.name} (${d.language}) is defined twice`);
    seen.add(key);
  }

  function get(name: string, language?: string | null): TemplateDefinition | null {
    const named = list.filter((d) => d.name === name);
    if (named.length === 0) return null;
    if (!language) return named.length === 1 ? (named[0] ?? null) : null;
    return (
      named.find((d) => d.language === language) ?? named.find((d) => primary(d.language) === primary(language)) ?? null
    );
  }

  return {
    list: () => [...list],
    get,
    resolve(template) {
      const definition = get(template.name, template.language);
      if (!definition) {
        const languages = list.filter((d) => d.name === template.name).map((d) => d.language);
        throw new StoredeskError({
          code: "INVALID_INPUT",
          message:
            languages.length > 0
              ? `WhatsApp template ${template.name} has no ${template.language ?? "default"} version (registered: ${languages.join(", ")})`
              : `Unknown WhatsApp template ${template.name}`,
          path: ["template", "name"],
          details: { template: template.name, languages },
        });
      }
      const spec = definition.parameters ?? { body: 0 };
      const schema = spec instanceof z.ZodType ? spec : countsSchema(spec);
      const raw = parseInput(schema, template.parameters ?? {}, `parameters of template ${definition.name}`);
      // A user schema may output anything; hold it to the normalized shape.
      const parameters: TemplateParameters = parseInput(
        TemplateParametersSchema,
        raw,
        `parameters of template ${definition.name}`,
      );
      const kinds =
        spec instanceof z.ZodType
          ? { header: definition.header ?? null, buttons: definition.buttons ?? [] }
          : { header: spec.header ?? null, buttons: spec.buttons ?? [] };
      return { definition, parameters, payload: templatePayload(definition, parameters, kinds) };
    },
    suggested: () => list.find((d) => d.category === "utility") ?? null,
  };
}
