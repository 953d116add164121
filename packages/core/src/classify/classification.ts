/** The shape every classifier returns, and the pluggable classifier type. */
import { z } from "zod";

const CATEGORY = z.enum(["product", "shipping", "refund_exchange", "order_change", "payment", "complaint", "other"]);

/** What a classifier says about an inbound message. */
export const ClassificationSchema = z.object({
  category: CATEGORY,
  /** The topic behind a complaint (shipping, product…), or the category itself. */
  topic: CATEGORY,
  language: z.string(),
  complaint: z.object({
    signal: z.boolean(),
    /** The complaint probability (0..1) of the trained model; the lexicon classifier's score. */
    score: z.number(),
    /** 0 none, 1 dissatisfied, 2 angry, 3 escalating (regulator, lawyer, chargeback). */
    intensity: z.number().int().min(0).max(3).optional(),
    /** The complaint cues found (`"소비자원"`, `"never again"`, `"!!!"`). */
    cues: z.array(z.string()).optional(),
  }),
  sentiment: z.enum(["negative", "neutral", "positive"]),
  suggestedPriority: z.enum(["low", "normal", "high", "urgent"]),
  /** 0..1: how sure the classifier is of `category`. */
  confidence: z.number().min(0).max(1),
  /** Terms or features that decided, for explaining the decision. */
  matched: z.array(z.string()),
  /** Which model decided (`storedesk-default-…`, `lexicon-1`, a shop's own id, an LLM's). */
  modelId: z.string(),
  /** Score per category (0..1), under the classifier's own category names. */
  scores: z.record(z.string(), z.number()),
  /** Every category that applies, most certain first (a message can be shipping and complaint). */
  labels: z.array(z.string()).optional(),
  /** The model's own label when it uses names of its own (mapped onto `category` for the desk). */
  label: z.string().optional(),
});
/** A classification. */
export type Classification = z.infer<typeof ClassificationSchema>;

/** Input to a classifier. */
export interface ClassifierInput {
  text: string;
  subject?: string | null;
  channel?: string;
  /** Language the channel or customer profile reports, used when the text is too short to tell. */
  localeHint?: string | null;
}

/**
 * A pluggable classifier (a trained model, an LLM call…). The trained
 * {@link classifyText} is the default; a plugged one may delegate to it.
 */
export type Classifier = (input: ClassifierInput) => Classification | Promise<Classification>;
