/**
 * Classification: what the default model makes of a few messages (category, scores, complaint
 * intensity, priority), and a classifier trained on a shop's own labels in a few lines.
 */
import { classifyText, trainClassifier, type Classification } from "@storedesk/core";
import { categoryWords, section } from "./print.js";

const messages = [
  "주문번호 #1001 배송 언제 와요?",
  "I'm cancelling my purchase, I ordered the wrong size",
  "배송이 2주째 안 와요. 진짜 최악이네요",
  "Charged twice!!! I'm reporting you to the BBB",
  "Please cancel my newsletter subscription",
];

/** Top three scores, as an agent's sidebar would show them. */
function topScores(c: Classification): string {
  return Object.entries(c.scores)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${categoryWords(k)} ${v.toFixed(2)}`)
    .join(", ");
}

/** Prints the default model's reading of each message, then trains and uses a custom classifier. */
export function classificationDemo(): { results: Classification[]; custom: Classification } {
  section("The classifier: category, scores, complaint intensity, a model of your own", {
    store: "none (pure functions, no desk)",
  });
  const results = messages.map((text) => classifyText({ text }));
  results.forEach((c, i) => {
    console.log(`"${messages[i]}"`);
    console.log(
      `   → ${categoryWords(c.category)} (labels ${c.labels?.map(categoryWords).join(" + ")}), priority ${c.suggestedPriority}, ` +
        `complaint intensity ${c.complaint.intensity ?? 0}; scores: ${topScores(c)}`,
    );
  });
  const classifier = trainClassifier(
    [
      { text: "Do you sell wholesale, 200 units?", label: "wholesale" },
      { text: "trade price for my shop", label: "wholesale" },
      { text: "도매 가격 문의드려요", label: "wholesale" },
      { text: "bulk order of 500 pieces", label: "wholesale" },
      { text: "where is my parcel", label: "shipping" },
      { text: "배송 언제 와요", label: "shipping" },
      { text: "tracking number please", label: "shipping" },
      { text: "has my order shipped", label: "shipping" },
    ],
    { id: "mocha-shop-1", categoryMap: { wholesale: "product" } },
  );
  const question = "Can I get a trade price for 300 mugs?";
  const custom = classifier({ text: question });
  console.log(
    `custom model ${custom.modelId}: "${question}" → ${custom.label} (desk category: ${categoryWords(custom.category)})`,
  );
  return { results, custom };
}
