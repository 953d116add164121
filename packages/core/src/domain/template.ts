import { z } from "zod";
import { CategorySchema } from "./enums.js";

/** The text of a template in one language. `{{path.to.value}}` marks a variable. */
export const TemplateBodySchema = z.object({
  subject: z.string().nullable().default(null),
  body: z.string(),
});

/** A reply template with one body per language; rendering falls back across languages. */
export const TemplateSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  category: CategorySchema.nullable().default(null),
  /** Bodies by language tag (`ko`, `en`, …). */
  locales: z.record(z.string(), TemplateBodySchema),
});
/** A template. */
export type Template = z.infer<typeof TemplateSchema>;
/** Input form of a template (defaults not yet applied). */
export type TemplateInput = z.input<typeof TemplateSchema>;
