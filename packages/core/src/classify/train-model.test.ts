import { describe, expect, it } from "vitest";
import { StoredeskError } from "../errors.js";
import { classifierFromModel, trainClassifier } from "./classifier-from-model.js";
import { trainModel, type TrainingExample } from "./train-model.js";

// A small corpus of a shop with its own category names.
const shop: TrainingExample[] = [
  ...[
    "Do you sell pallets of 100?",
    "wholesale price for 500 units",
    "bulk order discount for my shop",
    "도매 가격 문의드려요",
    "reseller pricing please",
    "Can I buy 1000 pieces at a trade price?",
  ].map((text) => ({ text, label: "wholesale" })),
  ...[
    "My watch stopped after a month",
    "warranty repair for my blender",
    "the warranty card is missing",
    "AS 보증기간 알려주세요",
    "Is the guarantee two years?",
    "repair under warranty please",
  ].map((text) => ({ text, label: "warranty" })),
  ...[
    "Where is my parcel?",
    "tracking number please",
    "배송 언제 와요?",
    "has my order shipped",
    "delivery is late",
    "when will it arrive",
  ].map((text) => ({ text, label: "shipping" })),
  ...[
    "This is the worst shop ever",
    "I am furious, nobody answers",
    "최악이에요 어이없네",
    "scam, I want to report you",
    "unacceptable service, never again",
    "짜증나요 진짜",
  ].map((text) => ({ text, label: "complaint" })),
];

describe("trainModel", () => {
  it("is deterministic: the same examples and options give the same JSON", () => {
    expect(JSON.stringify(trainModel(shop, { id: "a" }))).toBe(JSON.stringify(trainModel(shop, { id: "a" })));
  });

  it("gives a model id from the data when none is given", () => {
    expect(trainModel(shop).id).toMatch(/^custom-/);
    expect(trainModel(shop).id).not.toBe(trainModel(shop.slice(1)).id);
  });

  it("gives another id to the same data trained with other options, the same id to the same options in any order", () => {
    expect(trainModel(shop, { epochs: 5 }).id).not.toBe(trainModel(shop).id);
    expect(trainModel(shop, { epochs: 5, seed: 3 }).id).toBe(trainModel(shop, { seed: 3, epochs: 5 }).id);
    expect(trainModel(shop, { epochs: undefined }).id).toBe(trainModel(shop).id);
  });

  it("trains the complaint category as its own head, not as a topic", () => {
    const model = trainModel(shop);
    expect(model.complaintCategory).toBe("complaint");
    expect(model.categories).toEqual(["shipping", "warranty", "wholesale"]);
    expect(model.otherCategory).toBeNull();
  });

  it("trains complement naive Bayes into the same model shape", () => {
    const model = trainModel(shop, { algorithm: "complement-naive-bayes" });
    expect(model.algorithm).toBe("complement-naive-bayes");
    expect(classifierFromModel(model).predict("bulk wholesale price for 200 units").label).toBe("wholesale");
  });

  it("refuses fewer than two topic categories and empty texts with INVALID_INPUT", () => {
    expect(() => trainModel([{ text: "hi", label: "a" }])).toThrow(StoredeskError);
    expect(() =>
      trainModel([
        { text: "", label: "a" },
        { text: "x", label: "b" },
      ]),
    ).toThrow(/non-empty/);
    expect(() => trainModel(shop, { otherCategory: "misc" })).toThrow(/no examples/);
  });
});

describe("trainClassifier", () => {
  const classifier = trainClassifier(shop, {
    id: "shop-1",
    categoryMap: { wholesale: "product", warranty: "refund_exchange" },
  });

  it("classifies under the shop's own labels and maps them onto desk categories", () => {
    const c = classifier({ text: "What is your wholesale price for 300 units?" });
    expect(c.label).toBe("wholesale");
    expect(c.category).toBe("product");
    expect(c.modelId).toBe("shop-1");
    expect(Object.keys(c.scores).sort()).toEqual(["complaint", "shipping", "warranty", "wholesale"]);
  });

  it("keeps a label that is a desk category and sends an unmapped one to other", () => {
    expect(classifier({ text: "where is my parcel, tracking please" }).category).toBe("shipping");
    const unmapped = trainClassifier(shop);
    expect(unmapped({ text: "bulk wholesale order of 500" }).category).toBe("other");
  });

  it("round-trips through JSON: a reloaded model classifies exactly as the trained one", () => {
    const reloaded = classifierFromModel(JSON.parse(JSON.stringify(classifier.model)), {
      categoryMap: { wholesale: "product", warranty: "refund_exchange" },
    });
    for (const text of ["warranty repair please", "배송 언제 와요", "worst shop, I'll report you", "hello"]) {
      expect(reloaded({ text })).toEqual(classifier({ text }));
    }
  });

  it("refuses a malformed model with INVALID_INPUT instead of answering wrongly later", () => {
    const broken = { ...classifier.model, weights: { refund: [1, 2] } };
    expect(() => classifierFromModel(broken)).toThrow(/columns/);
    expect(() => classifierFromModel({ ...classifier.model, format: "v0" } as never)).toThrow(StoredeskError);
  });
});
