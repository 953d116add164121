import { describe, expect, it } from "vitest";
import { createRedactor, passesLuhn, redactPersonalData } from "./redact.js";

describe("redactPersonalData", () => {
  it("masks emails, Korean and international phone numbers", () => {
    const out = redactPersonalData(
      "메일 minsu.kim+shop@example.co.kr, 휴대폰 010-1234-5678, 매장 02-123-4567, US +1 415 555 2671",
    );
    expect(out).toBe("메일 [email], 휴대폰 [phone], 매장 [phone], US [phone]");
  });

  it("masks Korean mobile numbers written without separators or with dots and spaces", () => {
    expect(redactPersonalData("01012345678 / 010.9876.5432 / 010 2222 3333")).toBe("[phone] / [phone] / [phone]");
  });

  it("masks a Luhn-valid card number but keeps an order number and a date", () => {
    const out = redactPersonalData("카드 4111 1111 1111 1111 로 결제, 주문 #1001 (2026-03-02), 송장 1234567890123");
    expect(out).toBe("카드 [card] 로 결제, 주문 #1001 (2026-03-02), 송장 1234567890123");
  });

  it("masks a Korean resident registration number but not a number with an impossible date", () => {
    expect(redactPersonalData("주민번호 900101-1234567 입니다")).toBe("주민번호 [resident-number] 입니다");
    expect(redactPersonalData("코드 901399-1234567")).not.toContain("[resident-number]");
  });

  it("masks Korean road-name and lot addresses and an English street address", () => {
    expect(redactPersonalData("주소는 서울특별시 강남구 테헤란로 123, 101동 1002호 입니다")).toBe(
      "주소는 [address] 입니다",
    );
    expect(redactPersonalData("경기 성남시 분당구 정자동 178-1 으로 보내주세요")).toBe("[address] 으로 보내주세요");
    expect(redactPersonalData("Ship it to 221 Baker Street, Apt 2B please")).toBe("Ship it to [address] please");
  });

  it("leaves text without personal data unchanged and is idempotent", () => {
    const text = "SD-12 주문번호 #1001 배송이 언제 오나요? Order 1001 is late.";
    expect(redactPersonalData(text)).toBe(text);
    const masked = redactPersonalData("010-1234-5678 a@b.co");
    expect(redactPersonalData(masked)).toBe(masked);
  });

  it("switches kinds off with createRedactor", () => {
    const keepPhones = createRedactor({ phones: false });
    expect(keepPhones("010-1234-5678 a@b.co")).toBe("010-1234-5678 [email]");
  });
});

describe("passesLuhn", () => {
  it("accepts valid test card numbers and rejects a changed digit", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("5555555555554444")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
  });
});
