/**
 * How customers actually ask (chat, Instagram DMs, KakaoTalk): colloquial, without spaces, with
 * typos and initial-consonant abbreviations. Each phrasing is labelled with the FAQ entry that
 * answers it (shop-faq.ts). Written apart from the entries, without looking up their wording.
 */

/** A labelled customer question. */
export interface Phrasing {
  text: string;
  expected: string;
  locale: "ko" | "en";
  /** What makes it hard: spacing, typo, choseong, colloquial, synonym. */
  style: "colloquial" | "spacing" | "typo" | "choseong" | "synonym";
}

const ko = (expected: string, style: Phrasing["style"], text: string): Phrasing => ({ text, expected, locale: "ko", style });
const en = (expected: string, style: Phrasing["style"], text: string): Phrasing => ({ text, expected, locale: "en", style });

export const CUSTOMER_PHRASINGS: Phrasing[] = [
  // ship-time
  ko("ship-time", "colloquial", "배송이 언제 되나요"),
  ko("ship-time", "spacing", "주문하면며칠만에와요?"),
  ko("ship-time", "synonym", "택배 보통 얼마나 걸려요"),
  ko("ship-time", "typo", "배숑기간 얼마나 걸리나여"),
  en("ship-time", "colloquial", "how many days until my stuff arrives"),
  // ship-fee
  ko("ship-fee", "colloquial", "배송비 얼마에요?"),
  ko("ship-fee", "spacing", "무료배송기준이얼마예요"),
  ko("ship-fee", "synonym", "택배비 따로 내야 하나요"),
  en("ship-fee", "colloquial", "is shipping free?"),
  // ship-track
  ko("ship-track", "colloquial", "제 택배 어디쯤 왔는지 어떻게 봐요?"),
  ko("ship-track", "spacing", "운송장번호어디서봐요"),
  ko("ship-track", "choseong", "ㅂㅅㅈㅎ"),
  en("ship-track", "colloquial", "where do i find my tracking number"),
  // ship-carrier
  ko("ship-carrier", "colloquial", "택배사 어디 쓰세요?"),
  ko("ship-carrier", "colloquial", "cj로 오나요 아님 우체국인가요"),
  en("ship-carrier", "colloquial", "what delivery company do you use"),
  // ship-overseas
  ko("ship-overseas", "spacing", "해외배송가능한가요?"),
  ko("ship-overseas", "colloquial", "미국으로도 보내주시나요"),
  en("ship-overseas", "colloquial", "can you ship to japan"),
  // ship-address
  ko("ship-address", "colloquial", "주소 잘못 적었어요 바꿀수있나요"),
  ko("ship-address", "spacing", "배송지변경하고싶어요"),
  ko("ship-address", "typo", "배송지 변겅 어케해요"),
  en("ship-address", "colloquial", "I put the wrong address on my order"),
  // ship-delay
  ko("ship-delay", "colloquial", "물건이 아직도 안왔어요"),
  ko("ship-delay", "colloquial", "주문한지 일주일 됐는데 안 와요"),
  en("ship-delay", "colloquial", "my package still hasn't come"),
  // ship-split
  ko("ship-split", "colloquial", "하나만 왔는데 나머지는요?"),
  ko("ship-split", "spacing", "상품이따로따로왔어요"),
  en("ship-split", "colloquial", "only half my order came"),
  // ship-dawn
  ko("ship-dawn", "spacing", "새벽배송되나요"),
  ko("ship-dawn", "colloquial", "오늘 주문하면 내일 아침에 받을 수 있어요?"),
  en("ship-dawn", "colloquial", "do you have next morning delivery"),
  // ship-doorstep
  ko("ship-doorstep", "colloquial", "배송완료 떴는데 택배가 없어요"),
  ko("ship-doorstep", "colloquial", "택배 분실된거같아요"),
  en("ship-doorstep", "colloquial", "it says delivered but nothing is at my door"),
  // ship-pickup
  ko("ship-pickup", "colloquial", "매장 가서 찾아가도 돼요?"),
  ko("ship-pickup", "spacing", "매장픽업가능해요?"),
  en("ship-pickup", "colloquial", "can i collect it at your shop"),
  // return-how
  ko("return-how", "colloquial", "반품하고 싶은데 어떻게 해요"),
  ko("return-how", "spacing", "반품신청방법알려주세요"),
  ko("return-how", "typo", "반풍 신청 하려구요"),
  en("return-how", "colloquial", "i want to send this back"),
  // return-fee
  ko("return-fee", "colloquial", "반품하면 배송비 제가 내요?"),
  ko("return-fee", "spacing", "반품비얼마에요"),
  en("return-fee", "colloquial", "do i have to pay to return it"),
  // refund-time
  ko("refund-time", "colloquial", "환불 언제 들어와요?"),
  ko("refund-time", "spacing", "환불은언제쯤되나요"),
  ko("refund-time", "typo", "환뷸 아직 안됐어요"),
  en("refund-time", "colloquial", "when do i get my money back"),
  // refund-method
  ko("refund-method", "colloquial", "환불 카드로 돼요 계좌로 돼요?"),
  ko("refund-method", "colloquial", "적립금으로 결제한 건 어떻게 환불돼요"),
  en("refund-method", "colloquial", "will the refund go back to my card"),
  // return-period
  ko("return-period", "colloquial", "받은지 열흘 지났는데 반품돼요?"),
  ko("return-period", "spacing", "반품기간지났는데요"),
  en("return-period", "colloquial", "is it too late to return after two weeks"),
  // return-not-allowed
  ko("return-not-allowed", "colloquial", "택 뗐는데 반품 되나요"),
  ko("return-not-allowed", "colloquial", "화장품 뜯었는데 반품 가능해요?"),
  en("return-not-allowed", "colloquial", "can I return something I already wore"),
  // return-pickup
  ko("return-pickup", "colloquial", "반품 신청했는데 기사님이 안 오세요"),
  ko("return-pickup", "spacing", "회수가안돼요"),
  en("return-pickup", "colloquial", "nobody picked up my return"),
  // refund-partial
  ko("refund-partial", "colloquial", "두개 샀는데 하나만 반품할게요"),
  ko("refund-partial", "spacing", "부분반품되나요"),
  en("refund-partial", "colloquial", "can i only return one of the items"),
  // exchange-how
  ko("exchange-how", "spacing", "교환신청어떻게해요"),
  ko("exchange-how", "colloquial", "다른 걸로 바꾸고 싶어요"),
  ko("exchange-how", "choseong", "ㄱㅎㅅㅊ"),
  en("exchange-how", "colloquial", "how can i swap my item"),
  // exchange-size
  ko("exchange-size", "colloquial", "사이즈가 작아서 큰걸로 바꾸고 싶어요"),
  ko("exchange-size", "spacing", "사이즈교환되나요"),
  ko("exchange-size", "typo", "사이쥬 교환 돼요?"),
  en("exchange-size", "colloquial", "too small, can I get a bigger size"),
  // exchange-color
  ko("exchange-color", "colloquial", "색깔 다른걸로 바꿀수있어요?"),
  ko("exchange-color", "spacing", "색상교환가능한가요"),
  en("exchange-color", "colloquial", "can I get it in a different colour"),
  // exchange-time
  ko("exchange-time", "colloquial", "교환한거 언제 와요?"),
  ko("exchange-time", "spacing", "교환상품언제받아요"),
  en("exchange-time", "colloquial", "when does my replacement arrive"),
  // defect
  ko("defect", "colloquial", "옷에 구멍이 나있어요"),
  ko("defect", "spacing", "불량품왔어요"),
  ko("defect", "synonym", "받았는데 하자가 있네요"),
  en("defect", "colloquial", "the item arrived broken"),
  // wrong-item
  ko("wrong-item", "colloquial", "시킨거랑 다른게 왔어요"),
  ko("wrong-item", "spacing", "오배송된거같아요"),
  en("wrong-item", "colloquial", "you sent me the wrong thing"),
  // cancel-order
  ko("cancel-order", "colloquial", "주문 취소해주세요"),
  ko("cancel-order", "spacing", "주문취소하고싶어요"),
  ko("cancel-order", "typo", "주뮨 취소 어케함"),
  en("cancel-order", "colloquial", "please cancel my order"),
  // change-option
  ko("change-option", "colloquial", "옵션 잘못 골랐어요"),
  ko("change-option", "spacing", "주문옵션변경가능해요"),
  en("change-option", "colloquial", "I picked the wrong option"),
  // add-item
  ko("add-item", "colloquial", "주문한거에 하나 더 추가하고 싶어요"),
  ko("add-item", "spacing", "추가주문합배송되나요"),
  en("add-item", "colloquial", "can i add something to my order"),
  // preorder
  ko("preorder", "colloquial", "품절인데 다시 들어와요?"),
  ko("preorder", "spacing", "재입고언제돼요"),
  en("preorder", "colloquial", "when is this back in stock"),
  // pay-methods
  ko("pay-methods", "colloquial", "카카오페이 되나요?"),
  ko("pay-methods", "spacing", "결제수단뭐있어요"),
  en("pay-methods", "colloquial", "can i pay with apple pay or paypal"),
  // pay-installment
  ko("pay-installment", "spacing", "무이자할부되나요"),
  ko("pay-installment", "colloquial", "할부 몇개월까지 돼요"),
  en("pay-installment", "colloquial", "can I pay in monthly installments"),
  // pay-bank-deadline
  ko("pay-bank-deadline", "colloquial", "입금 언제까지 하면 돼요?"),
  ko("pay-bank-deadline", "spacing", "가상계좌입금기한"),
  en("pay-bank-deadline", "colloquial", "how long do i have to transfer the money"),
  // pay-receipt
  ko("pay-receipt", "spacing", "현금영수증발급해주세요"),
  ko("pay-receipt", "choseong", "ㅎㄱㅇㅅㅈ"),
  en("pay-receipt", "colloquial", "i need a cash receipt"),
  // pay-invoice
  ko("pay-invoice", "spacing", "세금계산서발행가능한가요"),
  ko("pay-invoice", "colloquial", "사업자로 계산서 끊어주세요"),
  en("pay-invoice", "colloquial", "I need a tax invoice for my company"),
  // pay-failed
  ko("pay-failed", "colloquial", "결제하는데 자꾸 오류나요"),
  ko("pay-failed", "spacing", "카드결제가안돼요"),
  en("pay-failed", "colloquial", "my card keeps getting declined"),
  // pay-double
  ko("pay-double", "colloquial", "돈이 두번 빠져나갔어요"),
  ko("pay-double", "spacing", "중복결제됐어요"),
  en("pay-double", "colloquial", "I got charged two times"),
  // pay-change
  ko("pay-change", "colloquial", "카드 말고 다른걸로 결제 바꿀 수 있나요"),
  ko("pay-change", "spacing", "결제수단변경"),
  en("pay-change", "colloquial", "can i switch my payment to another card"),
  // size-guide
  ko("size-guide", "colloquial", "사이즈 뭐 사야될지 모르겠어요"),
  ko("size-guide", "spacing", "사이즈표어디있어요"),
  ko("size-guide", "synonym", "치수 어떻게 재요"),
  en("size-guide", "colloquial", "what size should i get"),
  // size-fit
  ko("size-fit", "colloquial", "이거 크게 나와요?"),
  ko("size-fit", "spacing", "정사이즈인가요"),
  en("size-fit", "colloquial", "does this run small"),
  // shoe-size
  ko("shoe-size", "colloquial", "발볼 넓은데 신발 몇 사야돼요"),
  ko("shoe-size", "spacing", "신발사이즈추천해주세요"),
  en("shoe-size", "colloquial", "what shoe size should i order"),
  // material-care
  ko("material-care", "colloquial", "니트 빨아도 돼요?"),
  ko("material-care", "spacing", "세탁방법알려주세요"),
  en("material-care", "colloquial", "can i put it in the washing machine"),
  // product-stock
  ko("product-stock", "colloquial", "성수 매장에 이거 있어요?"),
  ko("product-stock", "spacing", "매장재고확인"),
  en("product-stock", "colloquial", "is this available in your store"),
  // gift-wrap
  ko("gift-wrap", "spacing", "선물포장되나요"),
  ko("gift-wrap", "colloquial", "선물할건데 포장해주세요"),
  en("gift-wrap", "colloquial", "can you wrap it as a present"),
  // warranty
  ko("warranty", "colloquial", "바지 기장 줄여주시나요"),
  ko("warranty", "spacing", "수선맡기고싶어요"),
  en("warranty", "colloquial", "can you fix a broken zipper"),
  // member-join
  ko("member-join", "spacing", "회원가입어떻게해요"),
  ko("member-join", "colloquial", "카카오로 가입 돼요?"),
  en("member-join", "colloquial", "how do i make an account"),
  // member-grade
  ko("member-grade", "colloquial", "vip 되려면 얼마나 사야 돼요"),
  ko("member-grade", "spacing", "등급혜택알려주세요"),
  ko("member-grade", "synonym", "멤버십 혜택 뭐 있어요"),
  en("member-grade", "colloquial", "what do gold members get"),
  // points-earn
  ko("points-earn", "colloquial", "포인트 얼마나 쌓여요"),
  ko("points-earn", "spacing", "적립금적립률"),
  en("points-earn", "colloquial", "how many points do i get per purchase"),
  // points-use
  ko("points-use", "colloquial", "적립금 쓰는법"),
  ko("points-use", "spacing", "포인트사용어떻게해요"),
  en("points-use", "colloquial", "how can i spend my points"),
  // points-expire
  ko("points-expire", "colloquial", "적립금 사라지나요?"),
  ko("points-expire", "spacing", "적립금유효기간"),
  en("points-expire", "colloquial", "will my points run out"),
  // member-withdraw
  ko("member-withdraw", "spacing", "회원탈퇴하고싶어요"),
  ko("member-withdraw", "colloquial", "계정 삭제해주세요"),
  en("member-withdraw", "colloquial", "please close my account"),
  // password-reset
  ko("password-reset", "colloquial", "비번 까먹었어요"),
  ko("password-reset", "spacing", "비밀번호찾기"),
  en("password-reset", "colloquial", "i can't log in, forgot my password"),
  // account-id
  ko("account-id", "colloquial", "아이디 뭐였는지 기억 안나요"),
  ko("account-id", "spacing", "아이디찾기"),
  en("account-id", "colloquial", "I forgot which username I used"),
  // account-info
  ko("account-info", "colloquial", "핸드폰 번호 바뀌었어요"),
  ko("account-info", "spacing", "회원정보수정"),
  en("account-info", "colloquial", "I need to update my phone number"),
  // coupon-use
  ko("coupon-use", "colloquial", "쿠폰 어디서 써요?"),
  ko("coupon-use", "spacing", "쿠폰사용방법"),
  ko("coupon-use", "typo", "쿠펀 어케 써요"),
  en("coupon-use", "colloquial", "how do i apply my voucher"),
  // coupon-not-working
  ko("coupon-not-working", "colloquial", "쿠폰이 안 먹혀요"),
  ko("coupon-not-working", "spacing", "쿠폰적용이안돼요"),
  en("coupon-not-working", "colloquial", "coupon code isn't working"),
  // coupon-birthday
  ko("coupon-birthday", "spacing", "생일쿠폰언제줘요"),
  ko("coupon-birthday", "colloquial", "생일인데 쿠폰 안왔어요"),
  en("coupon-birthday", "colloquial", "do i get something for my birthday"),
  // coupon-refund
  ko("coupon-refund", "colloquial", "취소했는데 쿠폰 날아갔어요"),
  ko("coupon-refund", "spacing", "쿠폰복구되나요"),
  en("coupon-refund", "colloquial", "I cancelled and lost my coupon"),
  // promo-code
  ko("promo-code", "colloquial", "인스타에서 받은 코드 어디에 넣어요"),
  ko("promo-code", "spacing", "할인코드입력"),
  en("promo-code", "colloquial", "where do i put a discount code"),
  // cs-hours
  ko("cs-hours", "colloquial", "상담 몇시까지 해요?"),
  ko("cs-hours", "spacing", "고객센터운영시간"),
  ko("cs-hours", "choseong", "ㄱㄱㅅㅌ"),
  en("cs-hours", "colloquial", "what time does customer service open"),
  // review-write
  ko("review-write", "colloquial", "리뷰 쓰면 적립금 줘요?"),
  ko("review-write", "spacing", "후기작성어디서해요"),
  en("review-write", "colloquial", "where can i leave a review"),

  // A second set of English phrasings, written as customers type them (chat and mail, lower case,
  // no punctuation), added with the search change of 2026-12-02 and before measuring it.
  en("ship-time", "colloquial", "ordered yesterday when will the package get here"),
  en("ship-fee", "colloquial", "do i have to pay for delivery"),
  en("ship-track", "colloquial", "can you send me the tracking link for my parcel"),
  en("ship-overseas", "colloquial", "can you ship to canada"),
  en("ship-address", "colloquial", "i put the wrong address on my order can i change it"),
  en("ship-delay", "colloquial", "my package is late it was supposed to come two days ago"),
  en("return-how", "colloquial", "i want to send this back how do i do that"),
  en("return-fee", "colloquial", "who pays the postage if i send it back"),
  en("refund-time", "colloquial", "how long until i get my money back"),
  en("return-period", "colloquial", "is it too late to return something i bought three weeks ago"),
  en("exchange-size", "colloquial", "the shirt is too small can i swap it for a bigger one"),
  en("defect", "colloquial", "the mug arrived cracked what do i do"),
  en("wrong-item", "colloquial", "you sent me the wrong color"),
  en("cancel-order", "colloquial", "please cancel my order i changed my mind"),
  en("pay-methods", "colloquial", "do you take paypal or only cards"),
  en("pay-failed", "colloquial", "my card keeps getting declined at checkout"),
  en("pay-double", "colloquial", "i was charged twice for one order"),
  en("size-guide", "colloquial", "is there a size chart somewhere"),
  en("material-care", "colloquial", "can this go in the washing machine"),
  en("product-stock", "colloquial", "when will the navy one be back in stock"),
  en("gift-wrap", "colloquial", "can you wrap it as a present"),
  en("password-reset", "colloquial", "i forgot my password and can't log in"),
  en("points-use", "colloquial", "how do i spend my reward points"),
  en("coupon-not-working", "colloquial", "the discount code says invalid"),
  en("cs-hours", "colloquial", "what time does customer service open"),
];
