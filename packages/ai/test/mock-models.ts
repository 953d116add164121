/**
 * AI SDK mock language models (from `ai/test`) that answer with fixed text, never answer, or fail,
 * plus a reader for the prompt a mock received.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3GenerateResult } from "@ai-sdk/provider";
import { MockLanguageModelV3 } from "ai/test";

/** A generate result whose only content is `text`. */
export function textResult(text: string): LanguageModelV3GenerateResult {
  return {
    content: [{ type: "text", text }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: {
      inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 20, text: 20, reasoning: undefined },
    },
    warnings: [],
  };
}

/** A model that answers every call with `answer` (an object is sent as JSON text). */
export function answeringModel(answer: unknown): MockLanguageModelV3 {
  const text = typeof answer === "string" ? answer : JSON.stringify(answer);
  return new MockLanguageModelV3({
    provider: "mock",
    modelId: "answering",
    doGenerate: async () => textResult(text),
  });
}

/** A model that only settles when its call is aborted, like a provider that hangs. */
export function hangingModel(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: "mock",
    modelId: "hanging",
    doGenerate: (options) =>
      new Promise((_, reject) => {
        options.abortSignal?.addEventListener("abort", () => reject(options.abortSignal?.reason as Error), {
          once: true,
        });
      }),
  });
}

/** A model that ignores the abort signal and never settles. */
export function deafModel(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: "mock",
    modelId: "deaf",
    doGenerate: () => new Promise(() => {}),
  });
}

/** A model whose provider call fails with `error`. */
export function failingModel(error: Error = new Error("503 Service Unavailable")): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: "mock",
    modelId: "failing",
    doGenerate: async () => {
      throw error;
    },
  });
}

/** Everything the model received in its calls (system prompt and messages), as one string. */
export function receivedPrompt(model: MockLanguageModelV3): string {
  return model.doGenerateCalls.map((call: LanguageModelV3CallOptions) => JSON.stringify(call.prompt)).join("\n");
}
